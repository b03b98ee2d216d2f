using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Fanout.Fifo.Persistence.Migrations.PostgreSql
{
    /// <inheritdoc />
    public partial class FifoLeases : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "FencingToken",
                table: "orders",
                type: "bigint",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "fifo_leases",
                columns: table => new
                {
                    Fifo = table.Column<string>(type: "text", nullable: false),
                    Holder = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true),
                    Token = table.Column<long>(type: "bigint", nullable: false),
                    ExpiresAtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_fifo_leases", x => x.Fifo);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "fifo_leases");

            migrationBuilder.DropColumn(
                name: "FencingToken",
                table: "orders");
        }
    }
}
