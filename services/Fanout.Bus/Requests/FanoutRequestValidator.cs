using Fanout.Bus.Naming;
using Fanout.Contracts;

namespace Fanout.Bus.Requests;

/// <summary>The checks every entry point applies to an <see cref="InvokeFanout"/> before anything is stored.</summary>
public static class FanoutRequestValidator
{
    public const int MaxCallbacks = 64;
    public const long MaxDeadlineMs = 30L * 24 * 3600 * 1000;
    public const int MaxConcurrencyLimit = 100_000;

    /// <summary>Targets and calls of one run together.</summary>
    public const int MaxCallsPerRun = 1_000_000;

    public const int MaxKeyLength = 200;
    public const int MaxAttempts = 10;
    public const int MaxRetryDelayMs = 300_000;

    /// <summary>
    /// All waits of one call's retries together stay well under RabbitMQ's 30-minute consumer_timeout.
    /// </summary>
    public static readonly TimeSpan MaxTotalRetryWait = TimeSpan.FromMinutes(20);

    const string NoTargets = "at least one target or call is required";
    const string NoCallbacks = "a parallel execution needs at least one callback";
    const string NoFinalCallbacks = "a fan-out needs at least one final callback";

    /// <summary>The fields whose absence each "is required" problem reports.</summary>
    static readonly (string Problem, string[] Fields)[] MissingFieldProblems =
    [
        (NoTargets, ["targets", "calls"]),
        (NoCallbacks, ["callbacks", "on_target"]),
        (NoFinalCallbacks, ["on_final"]),
    ];

    /// <summary>
    /// <see cref="Problems(InvokeFanout)"/> of a request read from JSON, without "is required" for a field the reader
    /// already refused (a wrong-typed <c>on_final</c> is one problem, not also a missing one).
    /// </summary>
    public static IReadOnlyList<RequestProblem> ProblemsAfterReading(InvokeFanout request,
        IReadOnlyList<RequestProblem> readingProblems) =>
        Check(request).Where(problem => !MissingFieldProblems.Any(m => m.Problem == problem.Message
            && m.Fields.Any(field => readingProblems.Any(p => p.Field == field
                || p.Message.Contains($"'{field}'", StringComparison.Ordinal))))).ToList();

    /// <summary>Every problem found, worded for the person who sent the request; empty when valid.</summary>
    public static IReadOnlyList<string> Problems(InvokeFanout request) =>
        Check(request).Select(p => p.Message).ToList();

    /// <summary>Every problem found, each with its code and field; empty when valid.</summary>
    public static IReadOnlyList<RequestProblem> Check(InvokeFanout request)
    {
        var problems = new List<RequestProblem>();
        var isParallel = request.Mode == InvocationMode.Parallel;
        if (request.Mode is not (InvocationMode.Fanout or InvocationMode.Parallel))
            problems.Add(
                $"mode '{request.Mode}' is unknown: use '{InvocationMode.Fanout}' or '{InvocationMode.Parallel}'");

        if (request.Cid is not null && CorrelationIds.Problem(request.Cid) is { } cidProblem)
            problems.Add(new RequestProblem(ProblemCodes.InvalidCid, "cid", cidProblem));

        if (RunCalls.Count(request) == 0)
            problems.Add(new RequestProblem(ProblemCodes.MissingField, "targets", NoTargets));
        problems.AddRange((request.Targets?.Keys ?? Enumerable.Empty<string>()).Select(ServiceNames.Problem)
            .OfType<string>()
            .Select(p => new RequestProblem(ProblemCodes.InvalidServiceName, "targets", "target: " + p)));
        CallsValidator.Check(request, problems);

        var onTarget = request.OnTarget ?? [];
        var onFinal = request.OnFinal ?? [];
        if (isParallel && onTarget.Count == 0)
            problems.Add(new RequestProblem(ProblemCodes.MissingField, "callbacks", NoCallbacks));
        if (isParallel && onFinal.Count > 0)
            problems.Add("a parallel execution has no final callbacks; pass them as callbacks or use a fan-out");
        if (!isParallel && onFinal.Count == 0)
            problems.Add(new RequestProblem(ProblemCodes.MissingField, "on_final", NoFinalCallbacks));

        CheckCallbacks(onTarget, isParallel ? "callback" : "target callback", isParallel ? "callbacks" : "on_target",
            problems);
        CheckCallbacks(onFinal, "final callback", "on_final", problems);

        if (request.DeadlineMs is { } deadline && (deadline <= 0 || deadline > MaxDeadlineMs))
            problems.Add(new RequestProblem(ProblemCodes.OutOfRange, "deadline_ms",
                $"deadline_ms must be between 1 and {MaxDeadlineMs} (30 days); got {deadline}"));
        if (request.MaxConcurrency is { } concurrency && (concurrency < 1 || concurrency > MaxConcurrencyLimit))
            problems.Add(new RequestProblem(ProblemCodes.OutOfRange, "max_concurrency",
                $"max_concurrency must be between 1 and {MaxConcurrencyLimit}; got {concurrency}"));

        if (request.Source is { } source && (source.Length > ServiceNames.MaxLength || source.Any(char.IsControl)))
            problems.Add($"source must be at most {ServiceNames.MaxLength} printable characters");
        return problems;
    }

    static void CheckCallbacks(List<string> names, string kind, string field, List<RequestProblem> problems)
    {
        if (names.Count > MaxCallbacks)
            problems.Add(new RequestProblem(ProblemCodes.OutOfRange, field,
                $"{names.Count} {kind}s given; the limit is {MaxCallbacks}"));
        problems.AddRange(names.Select(ServiceNames.Problem).OfType<string>()
            .Select(p => new RequestProblem(ProblemCodes.InvalidServiceName, field, $"{kind}: {p}")));
        foreach (var duplicate in names.GroupBy(n => n).Where(g => g.Count() > 1))
            problems.Add(new RequestProblem(ProblemCodes.DuplicateName, field,
                $"{kind} '{duplicate.Key}' is listed more than once"));
    }
}
