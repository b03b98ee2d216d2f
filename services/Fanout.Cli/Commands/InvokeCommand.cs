using System.CommandLine;
using Fanout.Bus.Requests;
using Fanout.Cli.Broker;
using Spectre.Console;
using Fanout.Cli.Input;
using Fanout.Contracts;

namespace Fanout.Cli.Commands;

/// <summary>
/// <c>fanout invoke</c> (fan-out/fan-in) and <c>fanout parallel</c>: publish InvokeFanout, print the CID, optionally
/// wait.
/// </summary>
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
        Description = "A request file shaped like the gateway's body (targets, calls, on_final, on_target or " +
            "callbacks, cid, deadline_ms, max_concurrency, retry, fail_fast, quorum); - reads stdin",
        HelpName = "request.json",
    };

    static readonly Option<string[]> OnFinal = new("--on-final")
        { Description = "Final callback, run once after every target finished (repeatable)", HelpName = "name" };
    static readonly Option<string[]> OnTarget = new("--on-target", "--callback")
        { Description = "Callback run after each target (repeatable)", HelpName = "name" };
    static readonly Option<string[]> Callback = new("--callback", "--on-target")
        { Description = "Callback run after each target (repeatable)", HelpName = "name" };
    static readonly Option<string?> Cid = new("--cid") { Description = "Correlation id to use (default: generated)" };
    static readonly Option<string?> Deadline = new("--deadline")
    {
        Description = "Record unfinished targets as timed out after this long: 90s, 15m, 2h, 1d " +
            "(default: the orchestrator's, 24 h)",
        HelpName = "duration",
    };
    static readonly Option<int?> MaxConcurrency = new("--max-concurrency")
        { Description = "At most this many targets in flight", HelpName = "n" };
    static readonly Option<string?> Map = new("--map")
    {
        Description = "Call this service once per line of --requests; keys default to SERVICE#<index among the run's " +
            "calls>, so SERVICE#0, SERVICE#1, ... when --file lists no calls " +
            "(e.g. --map resize --requests items.jsonl)",
        HelpName = "service",
    };

    static readonly Option<string?> Requests = new("--requests")
    {
        Description = "With --map: one JSON request per line (JSON lines); - reads stdin (e.g. --requests items.jsonl)",
        HelpName = "file.jsonl",
    };

    static readonly Option<string?> KeyField = new("--key-field")
    {
        Description = "With --map: take each call's key from this field of its request instead of SERVICE#index " +
            "(e.g. --key-field id)",
        HelpName = "name",
    };

    static readonly Option<int?> Retry = new("--retry")
    {
        Description = "Try a target that raised up to N times in all, the delay doubling each time " +
            "(e.g. --retry 3 --retry-delay 200ms)",
        HelpName = "attempts",
    };

    static readonly Option<string?> RetryDelay = new("--retry-delay")
    {
        Description = "Delay before the second attempt, doubling after; needs --retry (e.g. 200ms, 2s; default 0)",
        HelpName = "duration",
    };

    static readonly Option<bool> FailFast = new("--fail-fast")
    {
        Description = "End the run at the first target that failed (after its retries); " +
            "the rest are recorded as cancelled",
    };

    static readonly Option<int?> Quorum = new("--quorum")
    {
        Description = "End the run once N targets ended ok; the rest are recorded as cancelled (e.g. --quorum 2)",
        HelpName = "n",
    };

    static readonly Option<bool> Wait = new("--wait", "-w")
        { Description = "Show progress until the run ended, then print every result" };

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
        Add(Map);
        Add(Requests);
        Add(KeyField);
        Add(Cid);
        Add(Deadline);
        Add(MaxConcurrency);
        Add(Retry);
        Add(RetryDelay);
        Add(FailFast);
        Add(Quorum);
        Add(Wait);
    }

    public static InvokeCommand Fanout(CliConsole console) => new(console, parallel: false, "invoke", """
        Start a fan-out: invoke every target at once; after all finished, each final callback runs once with every result.
        """, examples:
            "fanout invoke --target service1='{\"hello\":1}' --target service2='{\"hello\":2}' " +
            "--on-final my.callback1\n" +
            "fanout invoke --file request.json --wait\n" +
            "fanout invoke -t service1 --on-final my.callback1 --cid order-42 --deadline 15m --json\n" +
            "fanout invoke --map resize --requests items.jsonl --on-final my.callback1 --wait\n" +
            "fanout invoke --map resize --requests items.jsonl --key-field id --retry 3 --retry-delay 200ms " +
            "--fail-fast --on-final my.callback1\n" +
            "cat items.jsonl | fanout invoke --map resize --requests - --quorum 10 --on-final my.callback1 " +
            "--wait --json");

    public static InvokeCommand Parallel(CliConsole console) => new(console, parallel: true, "parallel", """
        Start a parallel execution: invoke every target at once; after each one finished, every callback runs with its result.
        """, examples:
            "fanout parallel --target service1='{\"hello\":1}' --target service2='{\"hello\":2}' " +
            "--callback my.target.callback1\n" +
            "fanout parallel --file request.json --wait --json\n" +
            "fanout parallel --map resize --requests items.jsonl --key-field id --callback my.target.callback1 " +
            "--retry 3 --retry-delay 200ms\n" +
            "fanout parallel --map resize --requests items.jsonl --callback my.target.callback1 --fail-fast --wait");

    protected override async Task<int> ExecuteAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var request = BuildRequest(parse);
        var count = RunCalls.Count(request);
        await using var bus = await CliBus.ConnectAsync(Broker(parse), cancellationToken);

        var cid = await bus.Patterns.InvokeAsync(request, cancellationToken);

        if (!parse.GetValue(Wait))
        {
            if (Console.Json)
                Console.WriteJson(new { cid, mode = request.Mode, target_count = count });
            else
                Console.Output.WriteLine(cid);
            return ExitCodes.Ok;
        }

        Console.Human.MarkupLine($"[bold]{Rendering.Cells.Escape(cid)}[/] started with {count} targets");
        var status = await new RunWatcher(bus, Console).WaitAsync(cid, count, cancellationToken);
        return RunWatcher.Report(Console, status);
    }

    /// <summary>
    /// The options and files, read and checked like the gateway's body; any problem is a usage error.
    /// </summary>
    InvokeFanout BuildRequest(ParseResult parse)
    {
        var run = new CommandLineRun
        {
            Targets = parse.GetValue(Targets) ?? [],
            OnFinal = _parallel ? [] : parse.GetValue(OnFinal) ?? [],
            OnTarget = parse.GetValue(_parallel ? Callback : OnTarget) ?? [],
            Cid = parse.GetValue(Cid) is { Length: > 0 } cid ? cid : null,
            DeadlineMs = parse.GetValue(Deadline) is { } deadline
                ? (long)Durations.Parse(deadline).TotalMilliseconds
                : null,
            MaxConcurrency = parse.GetValue(MaxConcurrency),
            File = parse.GetValue(File) is { } file ? JsonInput.ReadFile(file) : null,
            Calls = MapCalls(parse),
            Retry = RetryPolicy(parse),
            FailFast = parse.GetValue(FailFast),
            Quorum = parse.GetValue(Quorum),
        };
        // The request time is this process's clock: the CLI is its own composition root.
        var shape = _parallel ? RunRequestShape.Parallel : RunRequestShape.Fanout;
        var parsed = RunRequests.FromCommandLine(run, shape, CliBus.Source, TimeProvider.System);
        return parsed.IsValid ? parsed.Request : throw CliException.Usage(string.Join("; ", parsed.Problems));
    }

    static List<Call> MapCalls(ParseResult parse)
    {
        var (service, requests, keyField) = (parse.GetValue(Map), parse.GetValue(Requests), parse.GetValue(KeyField));
        if (service is null && requests is null)
            return keyField is null ? [] : throw CliException.Usage("--key-field needs --map and --requests");
        if (service is null || requests is null)
            throw CliException.Usage(
                "--map SERVICE and --requests FILE go together: each line of FILE is one request to SERVICE");
        return RequestLines.Read(service, requests, keyField);
    }

    static RetryPolicy? RetryPolicy(ParseResult parse)
    {
        var (attempts, delay) = (parse.GetValue(Retry), parse.GetValue(RetryDelay));
        if (attempts is null)
            return delay is null
                ? null
                : throw CliException.Usage("--retry-delay needs --retry N (the number of attempts)");
        var delayMs = delay is null ? 0 : Durations.Parse(delay, "--retry-delay").TotalMilliseconds;
        return new RetryPolicy { Attempts = attempts.Value, DelayMs = (int)Math.Min(delayMs, int.MaxValue) };
    }
}
