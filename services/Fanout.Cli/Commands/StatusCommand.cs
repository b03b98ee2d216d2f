using System.CommandLine;
using Fanout.Cli.Broker;
using Fanout.Cli.Rendering;
using Fanout.Contracts;
using MassTransit;

namespace Fanout.Cli.Commands;

/// <summary><c>fanout status CID</c>: one run's targets, totals, deadline and final callbacks, asked of the orchestrator over the bus.</summary>
public sealed class StatusCommand : CliCommand
{
    static readonly Argument<string> Cid = new("cid") { Description = "The run's correlation id" };

    public StatusCommand(CliConsole console) : base(console, "status", """
        Show one run: every target's status, ok, duration and error, the totals, the deadline and the final callbacks.
        """, examples: "fanout status order-42\nfanout status order-42 --json | jq '.targets | map_values(.status)'")
    {
        Add(Cid);
    }

    protected override async Task<int> ExecuteAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var cid = parse.GetValue(Cid)!;
        await using var bus = await CliBus.ConnectAsync(Broker(parse), cancellationToken);
        var response = await bus.RequestAsync<GetFanoutStatus, FanoutStatus, FanoutNotFound>(new GetFanoutStatus { Cid = cid }, "the orchestrator", cancellationToken);
        if (!response.Is(out Response<FanoutStatus>? found))
            throw CliException.Failed($"no run with CID '{cid}'");
        if (Console.Json)
            Console.WriteJson(found.Message);
        else
            Console.Human.Write(FanoutViews.Status(found.Message));
        return ExitCodes.Ok;
    }
}
