using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Fanout.Fifo.Persistence.Migrations.Sqlite
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
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "fifo_leases",
                columns: table => new
                {
                    Fifo = table.Column<string>(type: "TEXT", nullable: false),
                    Holder = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    Token = table.Column<long>(type: "INTEGER", nullable: false),
                    ExpiresAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false)
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
