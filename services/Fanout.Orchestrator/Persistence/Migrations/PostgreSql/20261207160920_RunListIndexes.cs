using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Fanout.Orchestrator.Persistence.Migrations.PostgreSql
{
    /// <inheritdoc />
    public partial class RunListIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_fanouts_CompletedAtUtc",
                table: "fanouts",
                column: "CompletedAtUtc");

            migrationBuilder.CreateIndex(
                name: "IX_fanouts_RequestedAtUtc",
                table: "fanouts",
                column: "RequestedAtUtc");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_fanouts_CompletedAtUtc",
                table: "fanouts");

            migrationBuilder.DropIndex(
                name: "IX_fanouts_RequestedAtUtc",
                table: "fanouts");
        }
    }
}
