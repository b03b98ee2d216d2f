using System.Runtime.CompilerServices;
using Fanout.Contracts;
using MassTransit;

namespace Fanout.Bus.Waiting;

/// <summary>Asks the orchestrator for a run's status over the bus, one page of targets at a time.</summary>
public sealed class RunStatusReader(IBus bus, FanoutBusSettings settings)
{
    /// <summary>Targets asked for per page when reading all results; the orchestrator may cap it lower.</summary>
    public const int ResultsPageSize = 1000;

    /// <summary>One page of the run's targets, or null when there is no such run.</summary>
    public async Task<FanoutStatus?> StatusAsync(string cid, int targetsOffset = 0, int? targetsLimit = null,
        CancellationToken cancellationToken = default)
    {
        var client = bus.CreateRequestClient<GetFanoutStatus>(
            RequestTimeout.After(ms: (int)settings.AcknowledgeTimeout.TotalMilliseconds));
        var response = await client.GetResponse<FanoutStatus, FanoutNotFound>(
                new GetFanoutStatus { Cid = cid, TargetsOffset = targetsOffset, TargetsLimit = targetsLimit },
                cancellationToken)
            .ConfigureAwait(false);
        return response.Is(out Response<FanoutStatus>? found) ? found.Message : null;
    }

    /// <summary>
    /// The run's state and counts without its targets (one is asked for: a limit of 0 could read as "no limit").
    /// </summary>
    public async Task<FanoutSummary?> SummaryAsync(string cid, CancellationToken cancellationToken = default) =>
        await StatusAsync(cid, 0, 1, cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Every finished target's payload, keyed by target key in request order, read a page at a time by
    /// <c>targets_offset</c> / <c>next_targets_offset</c>. Throws <see cref="KeyNotFoundException"/> when there is no
    /// such run.
    /// </summary>
    public async IAsyncEnumerable<KeyValuePair<string, TargetResultPayload>> ReadResultsAsync(string cid,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var (key, target) in ReadTargetsAsync(cid, 0, cancellationToken).ConfigureAwait(false))
            if (target.Result is { } result)
                yield return new(key, result);
    }

    /// <summary>
    /// Every target's status from <paramref name="offset"/> on, a page at a time; see <see cref="ReadResultsAsync"/>.
    /// </summary>
    public async IAsyncEnumerable<KeyValuePair<string, TargetStatus>> ReadTargetsAsync(string cid, int offset = 0,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        while (true)
        {
            var page = await StatusAsync(cid, offset, ResultsPageSize, cancellationToken).ConfigureAwait(false)
                ?? throw new KeyNotFoundException(
                    $"No run with CID '{cid}' (finished runs are kept for the retention period only).");
            foreach (var target in page.Targets)
                yield return target;
            // An orchestrator that does not page answers everything with no next offset; never loop on one page.
            if (page.NextTargetsOffset is not { } next || next <= offset)
                yield break;
            offset = next;
        }
    }
}
