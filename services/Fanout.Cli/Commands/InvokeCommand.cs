using System.CommandLine;
using Fanout.Bus.Requests;
using Fanout.Cli.Broker;
using Spectre.Console;
using Fanout.Cli.Input;
using Fanout.Contracts;

namespace Fanout.Cli.Commands;

/// <summary><c>fanout invoke</c> (fan-out/fan-in) and <c>fanout parallel</c>: publish InvokeFanout, print the CID, optionally wait.</summary>
public sealed class InvokeCommand : CliCommand
{
    static readonly Option<string[]> Targets = new("--target", "-t")
    {
        Description = "A target and its request: name='{\"json\":1}' (repeatable; without '=' the request is null)",
        HelpName = "name=json",
        AllowMultipleArgumentsPerToken = false,
    };

    static readonly Option<string?> File = new("--file", "-f")
    {
        Description = "A request file shaped like the gateway's body (targets, on_final, on_target or callbacks, cid, deadline_ms, max_concurrency); - reads stdin",
        HelpName = "request.json",
    };

    static readonly Option<string[]> OnFinal = new("--on-final") { Description = "Final callback, run once after every target finished (repeatable)", HelpName = "name" };
    static readonly Option<string[]> OnTarget = new("--on-target", "--callback") { Description = "Callback run after each target (repeatable)", HelpName = "name" };
    static readonly Option<string[]> Callback = new("--callback", "--on-target") { Description = "Callback run after each target (repeatable)", HelpName = "name" };
    static readonly Option<string?> Cid = new("--cid") { Description = "Correlation id to use (default: generated)" };
    static readonly Option<string?> Deadline = new("--deadline") { Description = "Record unfinished targets as timed out after this long: 90s, 15m, 2h, 1d (default: the orchestrator's, 24 h)", HelpName = "duration" };
    static readonly Option<int?> MaxConcurrency = new("--max-concurrency") { Description = "At most this many targets in flight", HelpName = "n" };
    static readonly Option<bool> Wait = new("--wait", "-w") { Description = "Show progress until the fan-in ran, then print the final payload" };

    readonly bool _parallel;

    InvokeCommand(CliConsole console, bool parallel, string name, string description, string examples)
        : base(console, name, description, examples)
    {
        _parallel = parallel;
        Add(Targets);
        Add(File);
        if (parallel)
            Add(Callback);
        else
        {
            Add(OnFinal);
            Add(OnTarget);
        }
        Add(Cid);
        Add(Deadline);
        Add(MaxConcurrency);
        Add(Wait);
    }

    public static InvokeCommand Fanout(CliConsole console) => new(console, parallel: false, "invoke", """
        Start a fan-out: invoke every target at once; after all finished, each final callback runs once with every result.
        """, examples: "fanout invoke --target service1='{\"hello\":1}' --target service2='{\"hello\":2}' --on-final my.callback1\nfanout invoke --file request.json --wait\nfanout invoke -t service1 --on-final my.callback1 --cid order-42 --deadline 15m --json");

    public static InvokeCommand Parallel(CliConsole console) => new(console, parallel: true, "parallel", """
        Start a parallel execution: invoke every target at once; after each one finished, every callback runs with its result.
        """, examples: "fanout parallel --target service1='{\"hello\":1}' --target service2='{\"hello\":2}' --callback my.target.callback1\nfanout parallel --file request.json --wait --json");

    protected override async Task<int> ExecuteAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var request = BuildRequest(parse);
        var broker = Broker(parse);
        EventFeed<FanoutStateChanged>? feed = null;
        await using var bus = await CliBus.ConnectAsync(broker, s =>
        {
            if (parse.GetValue(Wait))
                feed = s.Follow<FanoutStateChanged>();
        }, cancellationToken);

        var cid = await bus.Patterns.InvokeAsync(request, cancellationToken);

        if (feed is null)
        {
            if (Console.Json)
                Console.WriteJson(new { cid, mode = request.Mode, target_count = request.Targets.Count });
            else
                Console.Output.WriteLine(cid);
            return ExitCodes.Ok;
        }

        Console.Human.MarkupLine($"[bold]{Rendering.Cells.Escape(cid)}[/] started with {request.Targets.Count} targets");
        var status = await new RunWatcher(bus, Console).WaitAsync(cid, request.Targets.Count, feed, cancellationToken);
        return RunWatcher.Report(Console, status);
    }

    /// <summary>The options and file, read and checked like the gateway's body; any problem is a usage error.</summary>
    InvokeFanout BuildRequest(ParseResult parse)
    {
        var run = new CommandLineRun
        {
            Targets = parse.GetValue(Targets) ?? [],
            OnFinal = _parallel ? [] : parse.GetValue(OnFinal) ?? [],
            OnTarget = parse.GetValue(_parallel ? Callback : OnTarget) ?? [],
            Cid = parse.GetValue(Cid) is { Length: > 0 } cid ? cid : null,
            DeadlineMs = parse.GetValue(Deadline) is { } deadline ? (long)Durations.Parse(deadline).TotalMilliseconds : null,
            MaxConcurrency = parse.GetValue(MaxConcurrency),
            File = parse.GetValue(File) is { } file ? JsonInput.ReadFile(file) : null,
        };
        var parsed = RunRequests.FromCommandLine(run, _parallel ? RunRequestShape.Parallel : RunRequestShape.Fanout, CliBus.Source);
        return parsed.IsValid ? parsed.Request : throw CliException.Usage(string.Join("; ", parsed.Problems));
    }
}
