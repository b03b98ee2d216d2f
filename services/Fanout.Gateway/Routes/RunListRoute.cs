using Fanout.Bus.Requests;
using Fanout.Contracts;
using Fanout.Gateway.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Fanout.Gateway.Routes;

/// <summary>The run list with its filters and per-state counts, and the overview of the last minutes.</summary>
internal static class RunListRoute
{
    public const string Description =
        "Filters: state (the page only), mode (fanout|parallel), service (any target's service), cid_prefix, " +
        "key (a target key). Page with before = the previous answer's next_before. counts=true adds the runs per " +
        "state under the other filters.";

    static readonly string[] Modes = ["fanout", "parallel"];

    public static async Task<Results<Ok<FanoutList>, ProblemHttpResult>> List(string? state, int? limit,
        DateTime? before, string? mode, string? service, string? cid_prefix, string? key, bool? counts,
        OrchestratorClient orchestrator, CancellationToken cancellationToken)
    {
        if (state is { Length: > 0 } && !FanoutStates.All.Contains(state))
            return Problems.BadRequest(ErrorCodes.UnknownState,
                $"state '{state}' is unknown: use one of {string.Join(", ", FanoutStates.All)}", "state");
        if (mode is { Length: > 0 } && !Modes.Contains(mode))
            return Problems.BadRequest(ErrorCodes.UnknownMode,
                $"mode '{mode}' is unknown: use one of {string.Join(", ", Modes)}", "mode");
        if (ListLimit.Problem(limit) is { } limitProblem)
            return Problems.BadRequest(ErrorCodes.LimitOutOfRange, limitProblem, "limit");
        var query = new ListFanouts
        {
            State = NullIfEmpty(state), Limit = limit ?? 50, Before = before?.ToUniversalTime(),
            Mode = NullIfEmpty(mode), Service = NullIfEmpty(service), CidPrefix = NullIfEmpty(cid_prefix),
            Key = NullIfEmpty(key), Counts = counts ?? false,
        };
        var response = await orchestrator.List(query, cancellationToken);
        return TypedResults.Ok(response.Message);
    }

    public static async Task<Results<Ok<FanoutOverview>, ProblemHttpResult>> Overview(int? minutes,
        OrchestratorClient orchestrator, CancellationToken cancellationToken)
    {
        if (minutes is < 1 or > 1440)
            return Problems.BadRequest(ErrorCodes.InvalidQuery, $"minutes must be between 1 and 1440; got {minutes}",
                "minutes");
        var query = new GetFanoutOverview { Minutes = minutes ?? 60 };
        var response = await orchestrator.Overview(query, cancellationToken);
        return TypedResults.Ok(response.Message);
    }

    static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
