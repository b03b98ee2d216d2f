using Fanout.Bus.Naming;
using Fanout.Contracts;

namespace Fanout.Bus.Requests;

/// <summary>
/// The checks on a run's calls, keys, retries and completion policy. Linear in the number of calls (one pass, one hash
/// set), since a run may hold 100,000 of them; problems of one kind are capped so the answer stays readable.
/// </summary>
internal static class CallsValidator
{
    public static void Check(InvokeFanout request, List<RequestProblem> problems)
    {
        var count = RunCalls.Count(request);
        if (count > FanoutRequestValidator.MaxCallsPerRun)
            problems.Add($"the run has {count} targets and calls; " +
                $"the limit is {FanoutRequestValidator.MaxCallsPerRun} per run (split the work into several runs)");

        CheckCalls(request.Calls ?? [], problems);
        CheckKeysAreUnique(request, problems);
        CheckRetry(request.Retry, "retry", p => problems.Add(p));
        CheckCompletionPolicy(request, count, problems);
    }

    static void CheckCalls(List<Call> calls, List<RequestProblem> problems)
    {
        var capped = new CappedProblems(problems, "problems in calls");
        var checkedServices = new HashSet<string>(StringComparer.Ordinal);
        for (var index = 0; index < calls.Count; index++)
        {
            var call = calls[index];
            // Each distinct service name is checked once: 100,000 calls usually name one or a few services.
            if (checkedServices.Add(call.Service ?? "") && ServiceNames.Problem(call.Service) is { } serviceProblem)
                capped.Add(new RequestProblem(ProblemCodes.InvalidServiceName, $"calls[{index}].service",
                    $"calls[{index}]: {serviceProblem}"));
            if (call.Key is { } key && KeyProblem(key) is { } keyProblem)
                capped.Add($"calls[{index}]: {keyProblem}");
            CheckRetry(call.Retry, $"calls[{index}].retry", p => capped.Add(p));
        }

        capped.Close();
    }

    /// <summary>Null when <paramref name="key"/> may name a call's result, else why not.</summary>
    public static string? KeyProblem(string key)
    {
        if (key.Length == 0)
            return "a key is empty; leave 'key' out for the default <service>#<index>";
        if (key.Length > FanoutRequestValidator.MaxKeyLength)
            return $"key '{key[..20]}...' is {key.Length} characters long; " +
                $"the limit is {FanoutRequestValidator.MaxKeyLength}";
        if (key.Any(char.IsControl))
            return $"key '{key.Replace("\n", "\\n")}' holds control characters; keys must be printable";
        return null;
    }

    static void CheckKeysAreUnique(InvokeFanout request, List<RequestProblem> problems)
    {
        const int Named = 10;
        var seen = new HashSet<string>(RunCalls.Count(request), StringComparer.Ordinal);
        var duplicates = new HashSet<string>(StringComparer.Ordinal);
        foreach (var call in RunCalls.Expand(request))
            if (!seen.Add(call.Key))
                duplicates.Add(call.Key);
        if (duplicates.Count == 0)
            return;
        var named = string.Join(", ", duplicates.Take(Named).Select(k => $"'{k}'"));
        var more = duplicates.Count > Named ? $" and {duplicates.Count - Named} more" : "";
        problems.Add($"keys must be unique within a run (a target's key is its service name, a call's its 'key' or " +
            $"<service>#<index>); given more than once: {named}{more}");
    }

    static void CheckRetry(RetryPolicy? retry, string where, Action<string> problem)
    {
        if (retry is null)
            return;
        if (retry.Attempts is < 1 or > FanoutRequestValidator.MaxAttempts)
            problem($"{where}.attempts must be between 1 and {FanoutRequestValidator.MaxAttempts} " +
                $"(1 means no retry); got {retry.Attempts}");
        if (retry.DelayMs is < 0 or > FanoutRequestValidator.MaxRetryDelayMs)
            problem($"{where}.delay_ms must be between 0 and {FanoutRequestValidator.MaxRetryDelayMs} (5 minutes); " +
                $"got {retry.DelayMs}");
        else if (RetryDelays.Total(retry) is var total && total > FanoutRequestValidator.MaxTotalRetryWait)
            problem($"{where}: {retry.Attempts} attempts from {retry.DelayMs} ms " +
                $"wait {total.TotalMinutes:0} minutes in all; " +
                $"at most {FanoutRequestValidator.MaxTotalRetryWait.TotalMinutes:0} are allowed, " +
                "since a chunk held longer than RabbitMQ's " +
                "consumer_timeout (30 minutes) is redelivered and its retries start over");
    }


    static void CheckCompletionPolicy(InvokeFanout request, int count, List<RequestProblem> problems)
    {
        if (request.FailFast == true && request.Quorum is not null)
            problems.Add("fail_fast and quorum cannot be combined: " +
                "a run ends either at the first failure or once quorum targets ended ok");
        if (request.Quorum is { } quorum && (quorum < 1 || quorum > Math.Max(count, 1)))
            problems.Add($"quorum must be between 1 and the number of targets and calls ({count}); got {quorum}");
    }
}
