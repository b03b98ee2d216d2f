using System.Text.Json;
using Fanout.Bus.Naming;
using Fanout.Contracts;

namespace Fanout.Bus.Requests;

/// <summary>
/// The one way into an <see cref="InvokeFanout"/>: from a JSON request (gateway body, CLI file, plain message) or
/// from command-line pieces. Reports every problem, worded for a person, so each entry point only has to choose how
/// to answer them (HTTP 400, exit code 2).
/// </summary>
public static class RunRequests
{
    /// <summary>
    /// Reads and checks a request of <paramref name="shape"/>; <paramref name="source"/> is used when it names none.
    /// </summary>
    public static ParsedRunRequest FromJson(JsonElement json, RunRequestShape shape, string source, TimeProvider time)
    {
        var problems = new List<RequestProblem>();
        var request = Complete(Read(json, shape, problems), source, time);
        problems.AddRange(FanoutRequestValidator.ProblemsAfterReading(request, problems));
        return new ParsedRunRequest(request, problems);
    }

    /// <summary>
    /// Reads and checks the options and file of <c>fanout invoke</c> (<see cref="RunRequestShape.Fanout"/>) or
    /// <c>fanout parallel</c>.
    /// </summary>
    public static ParsedRunRequest FromCommandLine(CommandLineRun run, RunRequestShape shape, string source,
        TimeProvider time)
    {
        var problems = new List<RequestProblem>();
        var fileProblems = new List<RequestProblem>();
        var file = run.File is { } json ? Read(json, shape, fileProblems) : Empty(shape);
        problems.AddRange(fileProblems.Select(p => p with { Message = "--file: " + p.Message }));

        var targets = TargetOptions(run.Targets, problems);
        foreach (var (name, value) in file.Targets)
            targets.TryAdd(name, value);
        var request = Complete(file with
        {
            Targets = targets,
            OnFinal = Merge(run.OnFinal, file.OnFinal),
            OnTarget = Merge(run.OnTarget, file.OnTarget),
            Cid = run.Cid ?? file.Cid,
            DeadlineMs = run.DeadlineMs ?? file.DeadlineMs,
            MaxConcurrency = run.MaxConcurrency ?? file.MaxConcurrency,
            Calls = run.Calls.Count == 0 ? file.Calls : [.. file.Calls ?? [], .. run.Calls],
            Retry = run.Retry ?? file.Retry,
            FailFast = run.FailFast ? true : file.FailFast,
            Quorum = run.Quorum ?? file.Quorum,
        }, source, time);
        problems.AddRange(FanoutRequestValidator.ProblemsAfterReading(request, problems));
        return new ParsedRunRequest(request, problems);
    }

    /// <summary>
    /// An option may repeat a callback the file names; a name listed twice in one of them stays a problem.
    /// </summary>
    static List<string> Merge(IReadOnlyList<string> options, IReadOnlyList<string> file) =>
        [.. options, .. file.Where(name => !options.Contains(name))];

    /// <summary>Fills what a sender may leave out: a new CID, the source, the request time (now).</summary>
    public static InvokeFanout Complete(InvokeFanout request, string source, TimeProvider time) => request with
    {
        Cid = request.Cid ?? CorrelationIds.NewCid(),
        Source = request.Source ?? source,
        RequestedAtUtc = request.RequestedAtUtc ?? time.GetUtcNow().UtcDateTime,
    };

    static InvokeFanout Empty(RunRequestShape shape) =>
        new() { Mode = shape == RunRequestShape.Parallel ? InvocationMode.Parallel : InvocationMode.Fanout };

    /// <summary>The fields of <paramref name="json"/> onto an empty request of the shape's mode.</summary>
    static InvokeFanout Read(JsonElement json, RunRequestShape shape, List<RequestProblem> problems)
    {
        var request = Empty(shape);
        if (json.ValueKind != JsonValueKind.Object)
        {
            problems.Add(
                $"the request must be a JSON object with \"targets\" or \"calls\"; got {FieldValue.Describe(json)}");
            return request;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in json.EnumerateObject())
        {
            if (!seen.Add(property.Name))
                problems.Add(new RequestProblem(ProblemCodes.DuplicateName, property.Name,
                    $"field '{property.Name}' is given twice"));
            else if (RunRequestFields.Accepted(property.Name, shape) is not { } field)
                problems.Add(new RequestProblem(ProblemCodes.UnknownField, property.Name,
                    RunRequestFields.NotAccepted(property.Name, shape)));
            else if (property.Value.ValueKind != JsonValueKind.Null) // null means "not given", as in the contract
                request = field.Apply(request, new FieldValue(property.Name, property.Value, problems));
        }

        return request;
    }

    /// <summary>
    /// <c>--target name=JSON</c> options; the first of a repeated name is kept and the repeat reported.
    /// </summary>
    static Dictionary<string, JsonElement> TargetOptions(IEnumerable<string> options, List<RequestProblem> problems)
    {
        var targets = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var option in options)
        {
            var equals = option.IndexOf('=');
            var name = equals < 0 ? option : option[..equals];
            try
            {
                using var json = JsonDocument.Parse(equals < 0 ? "null" : option[(equals + 1)..]);
                if (!targets.TryAdd(name, json.RootElement.Clone()))
                    problems.Add($"--target: '{name}' is given twice");
            }
            catch (JsonException ex)
            {
                problems.Add($"--target {name}: {JsonProblems.Describe(ex)}");
            }
        }

        return targets;
    }
}
