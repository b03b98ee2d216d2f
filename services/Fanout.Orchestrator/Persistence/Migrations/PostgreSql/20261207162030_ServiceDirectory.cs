using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Fanout.Orchestrator.Persistence.Migrations.PostgreSql
{
    /// <inheritdoc />
    public partial class ServiceDirectory : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<List<string>>(
                name: "Warnings",
                table: "fanouts",
                type: "text[]",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "service_instances",
                columns: table => new
                {
                    Service = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    InstanceId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Host = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    ProcessId = table.Column<int>(type: "integer", nullable: false),
                    Version = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    Concurrency = table.Column<int>(type: "integer", nullable: false),
                    StartedAtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    LastSeenUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    ExpiresAtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_service_instances", x => new { x.Service, x.InstanceId });
                });

            migrationBuilder.CreateIndex(
                name: "IX_service_instances_ExpiresAtUtc",
                table: "service_instances",
                column: "ExpiresAtUtc");

            migrationBuilder.CreateIndex(
                name: "IX_service_instances_InstanceId",
                table: "service_instances",
                column: "InstanceId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "service_instances");

            migrationBuilder.DropColumn(
                name: "Warnings",
                table: "fanouts");
        }
    }
}
