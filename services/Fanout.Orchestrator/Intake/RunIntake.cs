using Fanout.Bus.Naming;
using Fanout.Contracts;
using Fanout.Orchestrator.Persistence;
using Fanout.Orchestrator.Runs;
using Fanout.Orchestrator.StateMachines;
using MassTransit;
using MassTransit.Mediator;
using Microsoft.Extensions.DependencyInjection;

namespace Fanout.Orchestrator.Intake;

/// <summary>
/// Starts the runs of one <see cref="InvokeFanouts"/> in this process: each run is an <see cref="InvokeFanout"/> to
/// the saga state machine hosted on MassTransit's mediator (same repository, activities and outbox as on the saga's
/// queue), asked as a request so its answer (<see cref="FanoutAccepted"/> or <see cref="FanoutRejected"/>) comes back
/// here, after its commit. As in <c>ResultsFanIn</c>, every run whose lock (<see cref="RunLocks"/>) is free holds a
/// place in the SQLite write group (<see cref="SagaWriteGroup.Ticket"/>) from the start, so those runs commit in one
/// transaction; a run whose CID is busy waits for its lock, then joins whichever group is open. A CID given twice in
/// one batch is started once: its runs go one after another, in order, and the later ones are refused as any resend.
/// Each run's message id derives from the batch's and the run's place in it, so a redelivered batch's runs are the
/// same messages again: a run it started is answered accepted again, never started twice.
/// </summary>
public sealed class RunIntake(IMediator mediator, RunWriteTurns turns, SagaPreloads preloads)
{
    // No timeout of its own: the answer comes after the run's commit, however long the write group takes.
    readonly IRequestClient<InvokeFanout> _runs = mediator.CreateRequestClient<InvokeFanout>(RequestTimeout.None);

    /// <param name="runs">The batch's runs.</param>
    /// <param name="batchId">The batch message's id, from which each run's message id derives.</param>
    /// <param name="cancellationToken">Ends waits for a lock or an answer (the delivery is redelivered).</param>
    /// <returns>One answer per run, in order, each given after the run's commit.</returns>
    public async Task<IReadOnlyList<FanoutAnswer>> StartAsync(IReadOnlyList<InvokeFanout> runs, Guid batchId,
        CancellationToken cancellationToken)
    {
        var answers = new FanoutAnswer[runs.Count];
        var byCid = runs.Select((run, index) => new Submitted(run, index, MessageId(batchId, index)))
            .GroupBy(s => RunCid.Of(s.Run, s.MessageId), StringComparer.Ordinal).ToList();

        // Every free run's turn is taken before any starts, so they commit together; whether their CIDs are stored is
        // read in one query (a run that waits for its lock, or a CID's later runs, load their own).
        var free = byCid.Select(cid => turns.TryTake(cid.Key)).ToList();
        var ids = byCid.Where((_, i) => free[i] is not null).Select(cid => CorrelationIds.ToGuid(cid.Key)).ToList();
        var preloaded = await preloads.LoadAsync(ids, CancellationToken.None).ConfigureAwait(false);
        var started = byCid.Select((cid, i) => StartInOrderAsync(cid.Key, cid.ToList(), free[i],
            free[i] is null ? null : preloaded.GetValueOrDefault(CorrelationIds.ToGuid(cid.Key)), answers,
            cancellationToken)).ToList();
        // Cancellable: a delivery whose channel closed must end; a run already writing finishes (and is answered
        // accepted again when the batch comes back).
        await Task.WhenAll(started).WaitAsync(cancellationToken).ConfigureAwait(false);
        return answers;
    }

    async Task StartInOrderAsync(string cid, List<Submitted> runs, RunWriteTurns.Turn? turn, PreloadedSaga? preloaded,
        FanoutAnswer[] answers, CancellationToken cancellationToken)
    {
        foreach (var submitted in runs)
        {
            answers[submitted.Index] = await StartAsync(cid, submitted, turn, preloaded, cancellationToken)
                .ConfigureAwait(false);
            turn = null;
            preloaded = null;
        }
    }

    async Task<FanoutAnswer> StartAsync(string cid, Submitted submitted, RunWriteTurns.Turn? turn,
        PreloadedSaga? preloaded, CancellationToken cancellationToken)
    {
        await using var taken = turn ?? await turns.TakeAsync(cid, cancellationToken).ConfigureAwait(false);
        var response = await _runs.GetResponse<FanoutAccepted, FanoutRejected>(submitted.Run,
            request => request.UseExecute(send =>
            {
                send.MessageId = submitted.MessageId;
                taken.Attach(send);
                preloaded?.Attach(send);
            }), cancellationToken).ConfigureAwait(false);
        if (response.Is(out Response<FanoutAccepted>? accepted))
            return new FanoutAnswer { Accepted = accepted.Message };
        response.Is(out Response<FanoutRejected>? rejected);
        return new FanoutAnswer { Rejected = rejected!.Message };
    }

    /// <summary>The message id of the run at <paramref name="index"/> of batch <paramref name="batchId"/>.</summary>
    public static Guid MessageId(Guid batchId, int index) => CorrelationIds.ToGuid($"{batchId:N}/{index}");

    sealed record Submitted(InvokeFanout Run, int Index, Guid MessageId);
}
