using System.CommandLine;
using Fanout.Bus.Requests;
using Fanout.Cli.Broker;
using Fanout.Cli.Rendering;
using Fanout.Contracts;
using Spectre.Console;

namespace Fanout.Cli.Commands;

/// <summary><c>fanout list</c>: runs, newest first.</summary>
public sealed class ListCommand : CliCommand
{
    static readonly Option<string?> State = new("--state")
    {
        Description = $"Only runs in this state: {string.Join(", ", FanoutStates.All)}",
    };

    static readonly Option<int> Limit = new("--limit", "-n")
    {
        Description = $"At most this many ({ListLimit.Min} to {ListLimit.Max})", DefaultValueFactory = _ => 20,
    };

    public ListCommand(CliConsole console) : base(console, "list", """
        List runs, newest first.
        """, examples: "fanout list\nfanout list --state running --limit 50\nfanout list --state timed_out --json")
    {
        State.AcceptOnlyFromAmong([.. FanoutStates.All]);
        Add(State);
        Add(Limit);
    }

    protected override async Task<int> ExecuteAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var limit = parse.GetValue(Limit);
        if (ListLimit.Problem(limit, "--limit") is { } problem)
            throw CliException.Usage(problem);
        await using var bus = await CliBus.ConnectAsync(Broker(parse), cancellationToken);
        var list = await bus.RequestAsync<ListFanouts, FanoutList>(
            new ListFanouts { State = parse.GetValue(State), Limit = limit }, "the orchestrator", cancellationToken);
        if (Console.Json)
            Console.WriteJson(list);
        else if (list.Items.Count == 0)
            Console.Human.WriteLine("no runs");
        else
            Console.Human.Write(FanoutViews.List(list.Items));
        return ExitCodes.Ok;
    }
}
