using System.CommandLine;
using System.Runtime.CompilerServices;
using Fanout.Cli.Broker;
using Fanout.Cli.Rendering;
using Fanout.Contracts;
using Spectre.Console;

namespace Fanout.Cli.Commands;

/// <summary>
/// <c>fanout tail</c>: follows every run from the orchestrator's state-change events until Ctrl-C. Needs only the
/// broker address; the events come on a temporary queue of its own.
/// </summary>
public sealed class TailCommand : CliCommand
{
    public TailCommand(CliConsole console) : base(console, "tail", """
        Follow every run as it starts, progresses and ends, until Ctrl-C: a table updated in place (newest on top,
        failed targets in red), or with --json one line per state change.
        """, examples: "fanout tail\n" +
            "fanout tail --json | jq -c 'select(.change != \"progressed\")'\n" +
            "fanout tail --rabbitmq amqp://user:pass@broker.internal:5672/")
    {
    }

    protected override async Task<int> ExecuteAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        EventFeed<FanoutStateChanges> feed = null!;
        await using var bus = await CliBus.ConnectAsync(Broker(parse), s => feed = s.Follow<FanoutStateChanges>(),
            cancellationToken);
        if (Console.Json || !Console.Interactive)
            Console.Human.WriteLine("following run state changes; Ctrl-C to stop");
        try
        {
            if (Console.Json)
                await foreach (var change in Changes(feed, cancellationToken))
                    Console.WriteJson(change, oneLine: true);
            else if (!Console.Interactive)
                await foreach (var change in Changes(feed, cancellationToken))
                    Console.Human.WriteLine(TailBoard.Line(change));
            else
                await LiveAsync(bus, feed, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Ctrl-C is how a tail ends.
        }

        return ExitCodes.Ok;
    }

    /// <summary>Each change of each published batch (one commit's changes), in order.</summary>
    static async IAsyncEnumerable<FanoutStateChanged> Changes(EventFeed<FanoutStateChanges> feed,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var batch in feed.ReadAllAsync(cancellationToken))
            foreach (var change in batch.Changes)
                yield return change;
    }

    async Task LiveAsync(CliBus bus, EventFeed<FanoutStateChanges> feed, CancellationToken cancellationToken)
    {
        var board = new TailBoard();
        try
        {
            var running = await bus.RequestAsync<ListFanouts, FanoutList>(
                new ListFanouts { State = FanoutStates.Running, Limit = 30 }, "the orchestrator", cancellationToken);
            foreach (var run in running.Items)
                board.Add(run, run.RequestedAtUtc);
        }
        catch (CliException)
        {
            // No orchestrator answering yet: the events will still arrive once one runs.
        }

        // One writer: the live display is updated only from this loop.
        await Console.Human.Live(board.Render()).StartAsync(async context =>
        {
            context.UpdateTarget(board.Render());
            await foreach (var change in Changes(feed, cancellationToken))
            {
                board.Apply(change);
                context.UpdateTarget(board.Render());
            }
        });
    }
}
