using Fanout.Bus;
using Fanout.Contracts;
using Fanout.Orchestrator.Intake;
using Fanout.Orchestrator.Persistence;
using Fanout.Orchestrator.Runs;
using Fanout.Orchestrator.StateMachines;
using Fanout.Tests.Support;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Fanout.Tests.StateMachine;

/// <summary>
/// A batch of runs (<see cref="InvokeFanouts"/>) started by the orchestrator that received it: in process, all in one
/// commit, each run answered as an <see cref="InvokeFanout"/> of its own would be, in order.
/// </summary>
public class RunIntakeTests
{
    /// <summary>A fan-out of <paramref name="targets"/> targets nobody listens on, so it stays running.</summary>
    static InvokeFanout Run(string? cid, int targets = 1, string final = "cb.final1") => new()
    {
        Cid = cid,
        Source = "tests",
        Targets = Enumerable.Range(0, targets).ToDictionary(i => $"nobody.t{i}", i => FanoutJson.ToElement(new { i })!.Value),
        OnFinal = [final],
    };

    static async Task<IReadOnlyList<FanoutAnswer>> Send(EmbeddedBus bus, IReadOnlyList<InvokeFanout> runs, Guid? messageId = null)
    {
        var response = await bus.Harness.Bus.CreateRequestClient<InvokeFanouts>().GetResponse<FanoutsAnswered>(
            new InvokeFanouts { Runs = runs }, x => x.UseExecute(send => send.MessageId = messageId ?? send.MessageId));
        return response.Message.Answers;
    }

    static int Started(EmbeddedBus bus, string cid) => bus.Harness.Published.Select<FanoutStateChanges>()
        .SelectMany(m => m.Context.Message.Changes)
        .Count(change => change.Run.Cid == cid && change.Change == FanoutStateChanged.Started);

    [Fact]
    public async Task Ten_runs_in_one_batch_are_stored_in_one_commit_and_answered_in_order()
    {
        await using var bus = await EmbeddedBus.StartAsync();
        var group = bus.Services.GetRequiredService<SagaWriteGroup>();
        var commitsBefore = group.Commits;
        var runs = Enumerable.Range(1, 10).Select(i => Run($"batch-{i}", targets: i)).ToList();

        var answers = await Send(bus, runs);

        Assert.Equal(1, group.Commits - commitsBefore);
        Assert.Equal(runs.Select(r => (r.Cid, r.Targets.Count)),
            answers.Select(a => (a.Accepted?.Cid, a.Accepted?.TargetCount ?? -1)));
        Assert.All(answers, a => Assert.Null(a.Rejected));
        // Services under the test harness do not announce themselves: the warnings travel in each answer.
        Assert.Equal(["no live host serves 'nobody.t0'", "no live host serves 'cb.final1'"], answers[0].Accepted!.Warnings!);
        foreach (var run in runs)
        {
            var saga = await bus.FindSaga(run.Cid!);
            Assert.Equal(("Running", run.Targets.Count), (saga!.CurrentState, saga.TargetCount));
        }

        Assert.False(bus.Harness.Published.Select<InvokeFanout>().Any());
        Assert.False(bus.Harness.Sent.Select<InvokeFanout>().Any());
    }

    [Fact]
    public async Task A_taken_cid_a_cid_given_twice_and_an_invalid_run_are_refused_alone()
    {
        await using var bus = await EmbeddedBus.StartAsync();
        await bus.Patterns.Fanout.InvokeAsync(new Dictionary<string, object?> { ["nobody.x"] = 1 }, ["cb.final1"], cid: "taken-1");
        await bus.WaitForIdle();
        var group = bus.Services.GetRequiredService<SagaWriteGroup>();
        var commitsBefore = group.Commits;

        var answers = await Send(bus,
        [
            Run("ok-1"),
            Run("taken-1"),
            Run("twice-1", targets: 2),
            Run("ok-2"),
            Run("twice-1", targets: 3),
            Run("invalid-1", final: "bad callback"),
        ]);

        Assert.Equal(("ok-1", 1), (answers[0].Accepted!.Cid, answers[0].Accepted!.TargetCount));
        Assert.Equal((FanoutRejected.CidInUse, "taken-1"), (answers[1].Rejected!.Code, answers[1].Rejected!.Cid));
        Assert.Contains("CID 'taken-1' is already in use", answers[1].Rejected!.Reason);
        Assert.Equal(("twice-1", 2), (answers[2].Accepted!.Cid, answers[2].Accepted!.TargetCount));
        Assert.Equal(("ok-2", 1), (answers[3].Accepted!.Cid, answers[3].Accepted!.TargetCount));
        Assert.Equal(FanoutRejected.CidInUse, answers[4].Rejected!.Code);
        Assert.Equal(FanoutRejected.InvalidRequest, answers[5].Rejected!.Code);
        Assert.Contains("'bad callback'", answers[5].Rejected!.Reason);
        Assert.All(answers, a => Assert.True(a.Accepted is null != a.Rejected is null));

        Assert.Equal(1, (await bus.FindSaga("taken-1"))!.TargetCount);
        Assert.Equal(2, (await bus.FindSaga("twice-1"))!.TargetCount);
        Assert.Null(await bus.FindSaga("invalid-1"));
        // The second run of a CID waits for the first one's commit; the others commit with the first.
        Assert.InRange(group.Commits - commitsBefore, 1, 2);
    }

    [Fact]
    public async Task A_redelivered_batch_starts_nothing_twice_and_is_answered_accepted_again()
    {
        await using var bus = await EmbeddedBus.StartAsync();
        var runs = Enumerable.Range(1, 5).Select(i => Run($"again-{i}")).Append(Run(cid: null)).ToList();
        var batchId = NewId.NextGuid();

        // The same batch twice under one message id, as the broker redelivers one that was not acknowledged.
        var first = await Send(bus, runs, batchId);
        var second = await Send(bus, runs, batchId);
        await bus.WaitForIdle();

        Assert.All(first.Concat(second), a => Assert.NotNull(a.Accepted));
        Assert.Equal(first.Select(a => a.Accepted!.Cid), second.Select(a => a.Accepted!.Cid));
        // A run without a CID gets one derived from the batch, the same each time.
        Assert.Equal(RunIntake.MessageId(batchId, 5).ToString("N"), first[5].Accepted!.Cid);
        foreach (var cid in first.Select(a => a.Accepted!.Cid))
            Assert.Equal(1, Started(bus, cid));
        var rows = await bus.QueryAsync(db => db.Fanouts.AsNoTracking().CountAsync());
        Assert.Equal(6, rows);

        // The same runs in another batch are someone else's resend: refused, as a resend of one InvokeFanout is.
        var resent = await Send(bus, runs.Take(5).ToList());
        Assert.All(resent, a => Assert.Equal(FanoutRejected.CidInUse, a.Rejected?.Code));
    }

    [Fact]
    public async Task A_batch_waiting_for_a_busy_run_ends_when_its_delivery_is_cancelled()
    {
        await using var bus = await EmbeddedBus.StartAsync();
        var intake = bus.Services.GetRequiredService<RunIntake>();
        var locks = bus.Services.GetRequiredService<RunLocks>();
        using var cancel = new CancellationTokenSource();

        Task<IReadOnlyList<FanoutAnswer>> waiting;
        using (await locks.EnterAsync("busy-1", CancellationToken.None))
        {
            waiting = intake.StartAsync([Run("busy-1"), Run("free-1")], NewId.NextGuid(), cancel.Token);
            await Eventually.Until<FanoutSaga?>(() => bus.FindSaga("free-1"), saga => saga is not null, "the free run stored");
            Assert.False(waiting.IsCompleted);
            cancel.Cancel();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.WaitAsync(TimeSpan.FromSeconds(10)));
        }

        Assert.Null(await bus.FindSaga("busy-1"));
        await Eventually.Until(() => locks.Count, n => n == 0, "no run lock held or waited for");
    }
}
