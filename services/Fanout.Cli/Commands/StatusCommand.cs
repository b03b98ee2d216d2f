using System.CommandLine;
using Fanout.Cli.Broker;
using Fanout.Cli.Rendering;
using Fanout.Contracts;
using MassTransit;

namespace Fanout.Cli.Commands;

/// <summary>
/// <c>fanout status CID</c>: one run's targets, totals, deadline and final callbacks, asked of the orchestrator over
/// the bus.
/// </summary>
public sealed class StatusCommand : CliCommand
{
    static readonly Argument<string> Cid = new("cid") { Description = "The run's correlation id" };
    static readonly Option<int> Offset = new("--offset")
    {
        Description = "Skip this many targets, in request order (big runs are read a page at a time)",
        HelpName = "n",
    };
    static readonly Option<int?> Limit = new("--limit", "-n")
    {
        Description = "At most this many targets " +
            "(the orchestrator caps a page at Fanout:Orchestrator:MaxStatusPage, 1000)",
        HelpName = "n",
    };

    public StatusCommand(CliConsole console) : base(console, "status", """
        Show one run: every target's status, ok, duration and error, the totals, the deadline and the final callbacks.
        """, examples: "fanout status order-42\nfanout status order-42 --json | jq '.targets | map_values(.status)'\n" +
            "fanout status map-demo-001 --offset 1000 --limit 500")
    {
        Add(Cid);
        Add(Offset);
        Add(Limit);
    }

    protected override async Task<int> ExecuteAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var cid = parse.GetValue(Cid)!;
        var offset = parse.GetValue(Offset);
        var limit = parse.GetValue(Limit);
        if (offset < 0)
            throw CliException.Usage($"--offset must be 0 or more; got {offset}");
        if (limit is < 1)
            throw CliException.Usage($"--limit must be at least 1; got {limit}");
        await using var bus = await CliBus.ConnectAsync(Broker(parse), cancellationToken);
        var response = await bus.RequestAsync<GetFanoutStatus, FanoutStatus, FanoutNotFound>(
            new GetFanoutStatus { Cid = cid, TargetsOffset = offset, TargetsLimit = limit }, "the orchestrator",
            cancellationToken);
        if (!response.Is(out Response<FanoutStatus>? found))
            throw CliException.Failed($"no run with CID '{cid}'");
        if (Console.Json)
            Console.WriteJson(found.Message);
        else
            Console.Human.Write(FanoutViews.Status(found.Message));
        return ExitCodes.Ok;
    }
}
