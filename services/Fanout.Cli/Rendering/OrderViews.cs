using Fanout.Contracts;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Fanout.Cli.Rendering;

internal static class OrderViews
{
    public static IRenderable One(OrderDocument order)
    {
        var grid = new Grid().AddColumn().AddColumn();
        grid.AddRow("[bold]order_id[/]", Cells.Escape(order.OrderId));
        grid.AddRow("[bold]fifo[/]", Cells.Escape(order.Fifo));
        grid.AddRow("[bold]sequence[/]", order.Sequence.ToString());
        grid.AddRow("[bold]status[/]", Status(order.Status));
        grid.AddRow("[bold]submitted[/]", Cells.Time(order.SubmittedAtUtc));
        grid.AddRow("[bold]started[/]", Cells.Time(order.StartedAtUtc));
        grid.AddRow("[bold]finished[/]", Cells.Time(order.FinishedAtUtc));
        grid.AddRow("[bold]attempts[/]", order.Attempts.ToString());
        grid.AddRow("[bold]worker[/]", Cells.Escape(order.Worker ?? "-"));
        grid.AddRow("[bold]reason[/]", Cells.Escape(order.Reason ?? "-"));
        grid.AddRow("[bold]parameters[/]", Cells.Escape(order.Parameters?.GetRawText() ?? "null"));
        return grid;
    }

    public static IRenderable List(IEnumerable<OrderDocument> orders)
    {
        var table = new Table().AddColumns("order_id", "fifo", "#", "status", "submitted", "duration", "reason");
        foreach (var order in orders)
            table.AddRow(Cells.Escape(order.OrderId), Cells.Escape(order.Fifo), order.Sequence.ToString(),
                Status(order.Status), Cells.Time(order.SubmittedAtUtc),
                Cells.Duration(order is { StartedAtUtc: { } s, FinishedAtUtc: { } f }
                    ? (f - s).TotalMilliseconds
                    : null),
                Cells.Escape(Cells.Short(order.Reason, 40)));
        return table;
    }

    public static string Line(OrderDocument order) =>
        $"{Cells.Time(order.FinishedAtUtc ?? order.StartedAtUtc ?? order.SubmittedAtUtc)} " +
        $"{order.OrderId} {order.Fifo} #{order.Sequence} {order.Status}"
        + (order.Reason is { } reason ? $": {Cells.Short(reason, 80)}" : "");

    static string Status(string status) => status switch
    {
        OrderStates.Standby => "[grey]standby[/]",
        OrderStates.Processing => "[yellow]processing[/]",
        OrderStates.Done => "[green]done[/]",
        OrderStates.Discarded => "[red]discarded[/]",
        _ => Cells.Escape(status),
    };
}
