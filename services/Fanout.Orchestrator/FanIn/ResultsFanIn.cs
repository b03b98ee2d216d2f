using Fanout.Bus.Naming;
using Fanout.Contracts;
using Fanout.Orchestrator.Messages;
using Fanout.Orchestrator.Persistence;
using Fanout.Orchestrator.StateMachines;
using MassTransit;
using MassTransit.Mediator;
using Microsoft.Extensions.DependencyInjection;

namespace Fanout.Orchestrator.FanIn;

/// <summary>
/// Applies results to their runs' sagas in this process, without another trip through the broker: each run's
/// <see cref="RecordTargetResults"/> goes to the saga state machine hosted on MassTransit's mediator (same
/// repository, activities and outbox as on the saga's queue), all runs of a batch at once. On SQLite every run whose
/// lock is free holds a place in the write group (<see cref="SagaWriteGroup.Ticket"/>) from the start, so those runs
/// commit in one transaction; a run busy with another message waits for its lock, then joins whichever group is open.
/// On PostgreSQL each run commits on its own, side by side. Results for a run that is being applied here already (its
/// other services' batches, arriving together) wait and go together in that run's next write, by opportunity: one
/// saga write per run per round, not one per message. Returns after the commits holding every given result (and the
/// delivery of what they emitted), so the caller acknowledges its delivery only then; if one failed it throws, the
/// delivery is retried, and the runs already applied drop the repeated keys.
/// </summary>
public sealed class ResultsFanIn(IMediator mediator, RunWriteTurns turns, SagaPreloads preloads)
{
    // Runs being applied here, each with the results that arrived for it meanwhile.
    readonly Dictionary<string, Queued> _applying = new(StringComparer.Ordinal);

    /// <summary>Results of the run waiting for its next write here (for tests and diagnostics).</summary>
    public int QueuedResults(string cid)
    {
        lock (_applying)
            return _applying.TryGetValue(cid, out var queued) ? queued.Results.Count : 0;
    }

    /// <param name="runs">One entry per CID.</param>
    public async Task ApplyAsync(IReadOnlyList<RecordTargetResults> runs, CancellationToken cancellationToken)
    {
        var own = new List<RecordTargetResults>(runs.Count);
        var behind = new List<Task>();
        lock (_applying)
            foreach (var run in runs)
                if (_applying.TryGetValue(run.Cid, out var queued))
                    // Cancellable: a delivery whose channel closed must end (it is redelivered; keys applied twice
                    // are dropped), even while the write it waits for goes on.
                    behind.Add(queued.Add(run.Results).WaitAsync(cancellationToken));
                else
                {
                    _applying[run.Cid] = new Queued();
                    own.Add(run);
                }

        // Every free run's turn is taken before any is applied, so they commit together; their sagas are read in
        // one query (a run that waits for its lock loads its own).
        var free = own.Select(run => turns.TryTake(run.Cid)).ToList();
        var ids = own.Where((_, i) => free[i] is not null).Select(run => CorrelationIds.ToGuid(run.Cid)).ToList();
        var preloaded = await preloads.LoadAsync(ids, CancellationToken.None).ConfigureAwait(false);
        await Task.WhenAll(own.Select((run, i) => ApplyThenHandOnAsync(run, free[i],
                free[i] is null ? null : preloaded.GetValueOrDefault(CorrelationIds.ToGuid(run.Cid)),
                cancellationToken))
            .Concat(behind)).ConfigureAwait(false);
    }

    async Task ApplyThenHandOnAsync(RecordTargetResults run, RunWriteTurns.Turn? turn, PreloadedSaga? preloaded,
        CancellationToken cancellationToken)
    {
        try
        {
            await ApplyAsync(run, turn, cancellationToken, preloaded).ConfigureAwait(false);
        }
        finally
        {
            HandOn(run.Cid);
        }
    }

    /// <summary>Applies what queued for the run meanwhile, in one write, or marks the run idle here.</summary>
    void HandOn(string cid)
    {
        Queued next;
        lock (_applying)
        {
            next = _applying[cid];
            if (next.IsEmpty)
            {
                _applying.Remove(cid);
                return;
            }

            _applying[cid] = new Queued();
        }

        // Not tied to the delivery that applied the run before: each delivery queued here waits for this write.
        _ = ApplyQueuedAsync(cid, next);
    }

    async Task ApplyQueuedAsync(string cid, Queued queued)
    {
        try
        {
            await ApplyAsync(new RecordTargetResults { Cid = cid, Results = queued.Results }, turn: null,
                CancellationToken.None).ConfigureAwait(false);
            queued.Applied.TrySetResult();
        }
        catch (Exception ex)
        {
            queued.Applied.TrySetException(ex);
        }
        finally
        {
            HandOn(cid);
        }
    }

    async Task ApplyAsync(RecordTargetResults run, RunWriteTurns.Turn? turn, CancellationToken cancellationToken,
        PreloadedSaga? preloaded = null)
    {
        await using var taken = turn ?? await turns.TakeAsync(run.Cid, cancellationToken).ConfigureAwait(false);
        await mediator.Send(run, Pipe.Execute<SendContext>(send =>
        {
            taken.Attach(send);
            preloaded?.Attach(send);
        }), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Results of one run waiting for its next write, and that write's outcome.</summary>
    sealed class Queued
    {
        public List<TargetCompleted> Results { get; } = [];
        public TaskCompletionSource Applied { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public bool IsEmpty => Results.Count == 0;

        public Task Add(IEnumerable<TargetCompleted> results)
        {
            Results.AddRange(results);
            return Applied.Task;
        }
    }
}
