using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Fanout.Orchestrator.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ServiceCallCounts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "CallsLastMinute",
                table: "service_instances",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "CallsTotal",
                table: "service_instances",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "FailuresLastMinute",
                table: "service_instances",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "FailuresTotal",
                table: "service_instances",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "InFlight",
                table: "service_instances",
                type: "INTEGER",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "CallsLastMinute",
                table: "service_instances");

            migrationBuilder.DropColumn(
                name: "CallsTotal",
                table: "service_instances");

            migrationBuilder.DropColumn(
                name: "FailuresLastMinute",
                table: "service_instances");

            migrationBuilder.DropColumn(
                name: "FailuresTotal",
                table: "service_instances");

            migrationBuilder.DropColumn(
                name: "InFlight",
                table: "service_instances");
        }
    }
}
