using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Fanout.Orchestrator.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "fanouts",
                columns: table => new
                {
                    CorrelationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Cid = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    CurrentState = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Mode = table.Column<string>(type: "TEXT", nullable: false),
                    Source = table.Column<string>(type: "TEXT", nullable: false),
                    RequestedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    DeadlineUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    CompletedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    MaxConcurrency = table.Column<int>(type: "INTEGER", nullable: true),
                    FailFast = table.Column<bool>(type: "INTEGER", nullable: true),
                    Quorum = table.Column<int>(type: "INTEGER", nullable: true),
                    HasCalls = table.Column<bool>(type: "INTEGER", nullable: false),
                    InvokedCount = table.Column<int>(type: "INTEGER", nullable: false),
                    OnTarget = table.Column<string>(type: "TEXT", nullable: false),
                    OnFinal = table.Column<string>(type: "TEXT", nullable: false),
                    TargetCount = table.Column<int>(type: "INTEGER", nullable: false),
                    FinishedCount = table.Column<int>(type: "INTEGER", nullable: false),
                    FailedCount = table.Column<int>(type: "INTEGER", nullable: false),
                    InvokeMessageId = table.Column<Guid>(type: "TEXT", nullable: true),
                    Version = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_fanouts", x => x.CorrelationId);
                });

            migrationBuilder.CreateTable(
                name: "outbox_messages",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Cid = table.Column<string>(type: "TEXT", nullable: false),
                    Destination = table.Column<string>(type: "TEXT", nullable: true),
                    MessageType = table.Column<string>(type: "TEXT", nullable: false),
                    Body = table.Column<string>(type: "TEXT", nullable: false),
                    CreatedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_outbox_messages", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "secrets",
                columns: table => new
                {
                    Name = table.Column<string>(type: "TEXT", nullable: false),
                    Value = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_secrets", x => x.Name);
                });

            migrationBuilder.CreateTable(
                name: "target_results",
                columns: table => new
                {
                    CorrelationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Target = table.Column<string>(type: "TEXT", nullable: false),
                    Service = table.Column<string>(type: "TEXT", nullable: false),
                    Ordinal = table.Column<int>(type: "INTEGER", nullable: false),
                    RequestJson = table.Column<string>(type: "TEXT", nullable: false),
                    RetryJson = table.Column<string>(type: "TEXT", nullable: true),
                    Status = table.Column<string>(type: "TEXT", nullable: false),
                    InvokedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    Finished = table.Column<bool>(type: "INTEGER", nullable: false),
                    Ok = table.Column<bool>(type: "INTEGER", nullable: false),
                    Attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    ResponseJson = table.Column<string>(type: "TEXT", nullable: true),
                    Exception = table.Column<string>(type: "TEXT", nullable: true),
                    RespondedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_target_results", x => new { x.CorrelationId, x.Target });
                });

            migrationBuilder.CreateIndex(
                name: "IX_fanouts_Cid",
                table: "fanouts",
                column: "Cid",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_fanouts_CurrentState_DeadlineUtc",
                table: "fanouts",
                columns: new[] { "CurrentState", "DeadlineUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_fanouts_CurrentState_RequestedAtUtc",
                table: "fanouts",
                columns: new[] { "CurrentState", "RequestedAtUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_outbox_messages_CreatedAtUtc",
                table: "outbox_messages",
                column: "CreatedAtUtc");

            migrationBuilder.CreateIndex(
                name: "IX_target_results_CorrelationId_Ordinal",
                table: "target_results",
                columns: new[] { "CorrelationId", "Ordinal" });

            migrationBuilder.CreateIndex(
                name: "IX_target_results_CorrelationId_Status_Ordinal",
                table: "target_results",
                columns: new[] { "CorrelationId", "Status", "Ordinal" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "fanouts");

            migrationBuilder.DropTable(
                name: "outbox_messages");

            migrationBuilder.DropTable(
                name: "secrets");

            migrationBuilder.DropTable(
                name: "target_results");
        }
    }
}
