using Fanout.Bus.Waiting;
using Fanout.Contracts;
using Fanout.Gateway.Http;
using MassTransit;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Fanout.Gateway.Routes;

/// <summary>
/// <c>GET /v1/fanouts/{cid}</c>: one run, a page of its targets at a time, optionally after waiting (long-poll) until
/// it ended. The wait follows the orchestrator's state-change events (<see cref="RunWaiter"/>), so it answers as soon
/// as the run ends rather than when the wait elapses.
/// </summary>
internal static class RunStatusRoute
{
    public const string Description = """
        Query parameters, all optional:
        - wait_ms: wait up to this many milliseconds (at most Fanout:Gateway:MaxWaitMs, 120000 by default) for the run to
          end, then answer 200 with its state; when the wait elapses first, 200 with the state still 'running'.
        - targets_offset, targets_limit: one page of the run's targets in request order (the orchestrator caps the
          limit); the answer's next_targets_offset is where the next page starts, null on the last page.
        """;

    public static async Task<Results<Ok<FanoutStatus>, ProblemHttpResult>> Get(string cid,
        [FromQuery(Name = "wait_ms")] string? waitMs, [FromQuery(Name = "targets_offset")] string? targetsOffset,
        [FromQuery(Name = "targets_limit")] string? targetsLimit,
        OrchestratorClient orchestrator, RunWaiter waiter, GatewaySettings settings,
        CancellationToken cancellationToken)
    {
        var problems = new List<ApiError>();
        var wait = Whole("wait_ms", waitMs, 0, settings.MaxWaitMs, problems);
        var offset = Whole("targets_offset", targetsOffset, 0, int.MaxValue, problems);
        var limit = Whole("targets_limit", targetsLimit, 1, int.MaxValue, problems);
        if (problems.Count > 0)
            return Problems.Of(StatusCodes.Status400BadRequest, "The request is invalid",
                string.Join("; ", problems.Select(p => p.Message)), problems);

        if (wait > 0 && await waiter.WaitAsync(
                cid, TimeSpan.FromMilliseconds(wait.Value), cancellationToken: cancellationToken) is null)
            return NotFound(cid);
        var response = await orchestrator.Status(
            new GetFanoutStatus { Cid = cid, TargetsOffset = offset ?? 0, TargetsLimit = limit }, cancellationToken);
        return response.Is(out Response<FanoutStatus>? found) ? TypedResults.Ok(found.Message) : NotFound(cid);
    }

    static ProblemHttpResult NotFound(string cid) =>
        Problems.NotFound($"No run with CID '{cid}' (finished runs are kept for the retention period only).");

    /// <summary>A query value as a whole number in [min, max], or a problem naming the parameter.</summary>
    static int? Whole(string name, string? text, int min, int max, List<ApiError> problems)
    {
        if (text is null)
            return null;
        if (int.TryParse(text, out var value) && value >= min && value <= max)
            return value;
        problems.Add(new ApiError(ErrorCodes.InvalidQuery, name,
            $"{name} must be a whole number from {min} to {max}; got '{text}'"));
        return null;
    }
}
