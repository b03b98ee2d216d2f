using Fanout.Bus;
using Fanout.Bus.Authoring;
using Fanout.Bus.Naming;
using Fanout.Contracts;
using Fanout.Orchestrator;
using Fanout.Orchestrator.FanIn;
using Fanout.Orchestrator.Messages;
using Fanout.Orchestrator.Persistence;
using Fanout.Orchestrator.StateMachines;
using Fanout.Tests.Support;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Fanout.Tests.StateMachine;

/// <summary>
/// A service host's results batch for many runs, applied by the orchestrator that received it: in process, many runs
/// in one commit, each key once.
/// </summary>
public class ResultsFanInTests
{
    static CallsCompleted Results(string cid, params (string Target, bool Ok)[] results) => new()
    {
        Cid = cid,
        Service = "nobody",
        Results = results.Select(r => new CallResult
        {
            Key = r.Target, Ok = r.Ok, Response = FanoutJson.ToElement(new { r.Target }),
            Exception = r.Ok ? null : "failed", RequestedAtUtc = DateTime.UtcNow, RespondedAtUtc = DateTime.UtcNow,
        }).ToList(),
    };

    /// <summary>Runs of two targets nobody listens on, so the test reports their results itself.</summary>
    static async Task<List<string>> StartRuns(EmbeddedBus bus, int count, string[]? onTarget = null)
    {
        var cids = new List<string>();
        for (var i = 0; i < count; i++)
            cids.Add(await bus.Patterns.Fanout.InvokeAsync(
                new Dictionary<string, object?> { ["nobody.a"] = i, ["nobody.b"] = i }, ["cb.final1"], onTarget));
        await bus.WaitForIdle();
        return cids;
    }

    [Fact]
    public async Task A_results_batch_for_five_runs_is_applied_in_one_commit_without_another_broker_hop()
    {
        await using var bus = await EmbeddedBus.StartAsync();
        var cids = await StartRuns(bus, 5);
        var group = bus.Services.GetRequiredService<SagaWriteGroup>();
        var commitsBefore = group.Commits;

        // Sent to the results queue, as service hosts do.
        var results = await bus.Harness.Bus.GetSendEndpoint(new Uri($"queue:{OrchestratorQueues.Results}"));
        await results.Send(new CallsCompletedForRuns
        {
            Service = "nobody",
            Runs = cids.Select((cid, i) => Results(cid, ("nobody.a", true), ("nobody.b", i != 0))).ToList(),
        });

        await bus.Recorder.WaitFor(_ => cids.All(cid => bus.Recorder.Of("cb.final1", cid).Count == 1));
        await bus.WaitForIdle();
        Assert.Equal(1, group.Commits - commitsBefore);
        foreach (var (cid, i) in cids.Select((cid, i) => (cid, i)))
        {
            var saga = await bus.FindSaga(cid);
            Assert.Equal((2, i == 0 ? 1 : 0, "Completed"), (saga!.FinishedCount, saga.FailedCount, saga.CurrentState));
            Assert.Single(bus.Recorder.Of("cb.final1", cid));
        }

        Assert.False(bus.Harness.Published.Select<RecordTargetResults>().Any());
        Assert.False(bus.Harness.Sent.Select<RecordTargetResults>().Any());
    }

    [Fact]
    public async Task The_sagas_of_a_results_batch_are_read_in_one_query_and_each_run_is_saved_once()
    {
        using var reads = new SagaReads();
        await using var bus = await EmbeddedBus.StartAsync();
        var cids = await StartRuns(bus, 5);
        var versions = new List<int>();
        foreach (var cid in cids)
            versions.Add((await bus.FindSaga(cid))!.Version);
        reads.Watch(cids.Select(CorrelationIds.ToGuid));

        await bus.Harness.Bus.Publish(new CallsCompletedForRuns
        {
            Service = "nobody", Runs = cids.Select(cid => Results(cid, ("nobody.a", true))).ToList(),
        });

        await bus.WaitForIdle();
        Assert.Equal(1, reads.Count);
        foreach (var (cid, i) in cids.Select((cid, i) => (cid, i)))
        {
            var saga = await bus.FindSaga(cid);
            Assert.Equal((1, "Running", versions[i] + 1), (saga!.FinishedCount, saga.CurrentState, saga.Version));
        }
    }

    [Fact]
    public async Task A_stale_preloaded_saga_fails_its_version_check_and_the_retry_applies_the_results_once()
    {
        await using var bus = await EmbeddedBus.StartAsync();
        var cid = (await StartRuns(bus, 1, onTarget: ["cb.target1"]))[0];
        var stale = (await bus.FindSaga(cid))!;
        var version = stale.Version; // the attempt that uses the instance changes it
        // Changed behind the preload's back: its Version no longer matches the row's.
        await bus.QueryAsync(db => db.Fanouts.Where(f => f.Cid == cid)
            .ExecuteUpdateAsync(u => u.SetProperty(f => f.Version, f => f.Version + 1)));
        var preloaded = new PreloadedSaga(stale.CorrelationId, stale);

        var turns = bus.Services.GetRequiredService<RunWriteTurns>();
        await using (var turn = await turns.TakeAsync(cid, CancellationToken.None))
            await bus.Services.GetRequiredService<MassTransit.Mediator.IMediator>().Send(
                new RecordTargetResults
                {
                    Cid = cid,
                    Results = [new TargetCompleted { Cid = cid, Target = "nobody.a", Ok = true, Service = "nobody" }],
                },
                Pipe.Execute<SendContext>(send =>
                {
                    turn.Attach(send);
                    preloaded.Attach(send);
                }));

        await bus.Recorder.WaitFor(_ => bus.Recorder.Of("cb.target1", cid).Count >= 1);
        await bus.WaitForIdle();
        var saga = await bus.FindSaga(cid);
        Assert.False(preloaded.TryTake(stale.CorrelationId, out _)); // the first attempt used it
        // The stale attempt's save matched no row (version + 1 stored behind it); the retry read it and stored + 2.
        Assert.Equal((1, "Running", version + 2), (saga!.FinishedCount, saga.CurrentState, saga.Version));
        Assert.Single(bus.Recorder.Of("cb.target1", cid));
    }

    [Fact]
    public async Task Results_for_a_run_arriving_while_its_write_is_in_flight_go_together_in_its_next_write()
    {
        await using var bus = await EmbeddedBus.StartAsync();
        var cid = await bus.Patterns.Fanout.InvokeAsync(
            new Dictionary<string, object?> { ["nobody.a"] = 1, ["nobody.b"] = 2, ["nobody.c"] = 3 }, ["cb.final1"]);
        await bus.WaitForIdle();
        var fanIn = bus.Services.GetRequiredService<ResultsFanIn>();

        // The run's lock held here stands for a write of the run in flight: the first batch waits for it, the two
        // after it queue behind the first.
        using (await bus.Services.GetRequiredService<RunLocks>().EnterAsync(cid, CancellationToken.None))
        {
            foreach (var target in new[] { "nobody.a", "nobody.b", "nobody.c" })
                await bus.Harness.Bus.Publish(Results(cid, (target, true)));
            await Eventually.Until(() => fanIn.QueuedResults(cid), n => n == 2, "two results queued behind the first");
        }

        await bus.Recorder.WaitFor(_ => bus.Recorder.Of("cb.final1", cid).Count == 1);
        await bus.WaitForIdle();
        var changes = bus.Harness.Published.Select<FanoutStateChanges>()
            .SelectMany(m => m.Context.Message.Changes)
            .Where(change => change.Run.Cid == cid && change.Change != FanoutStateChanged.Started)
            .Select(change => (change.Change, change.Finished.Count)).ToList();
        Assert.Equal(new[] { (FanoutStateChanged.Progressed, 1), (FanoutStates.Completed, 2) }, changes);
    }

    [Fact]
    public async Task A_redelivered_results_batch_applies_nothing_twice()
    {
        await using var bus = await EmbeddedBus.StartAsync();
        var cids = await StartRuns(bus, 3, onTarget: ["cb.target1"]);
        var firstHalf = new CallsCompletedForRuns
        {
            Service = "nobody", Runs = cids.Select(cid => Results(cid, ("nobody.a", true))).ToList(),
        };
        var secondHalf = new CallsCompletedForRuns
        {
            Service = "nobody", Runs = cids.Select(cid => Results(cid, ("nobody.b", false))).ToList(),
        };

        // Each batch twice under one message id, as the broker redelivers one that was not acknowledged.
        var firstId = NewId.NextGuid();
        await bus.Harness.Bus.Publish(firstHalf, c => c.MessageId = firstId);
        await bus.Harness.Bus.Publish(firstHalf, c => c.MessageId = firstId);
        await bus.WaitForIdle();
        foreach (var cid in cids)
        {
            var saga = await bus.FindSaga(cid);
            Assert.Equal((1, 0, "Running"), (saga!.FinishedCount, saga.FailedCount, saga.CurrentState));
            Assert.Single(bus.Recorder.Of("cb.target1", cid));
        }

        var secondId = NewId.NextGuid();
        await bus.Harness.Bus.Publish(secondHalf, c => c.MessageId = secondId);
        await bus.Harness.Bus.Publish(secondHalf, c => c.MessageId = secondId);
        await bus.Recorder.WaitFor(_ => cids.All(cid => bus.Recorder.Of("cb.final1", cid).Count >= 1));
        await bus.WaitForIdle();
        foreach (var cid in cids)
        {
            var saga = await bus.FindSaga(cid);
            Assert.Equal((2, 1, "Completed"), (saga!.FinishedCount, saga.FailedCount, saga.CurrentState));
            Assert.Single(bus.Recorder.Of("cb.final1", cid));
            Assert.Equal(2, bus.Recorder.Of("cb.target1", cid).Count);
            var progressed = bus.Harness.Published.Select<FanoutStateChanges>()
                .SelectMany(m => m.Context.Message.Changes)
                .Count(change => change.Run.Cid == cid && change.Change == FanoutStateChanged.Progressed);
            Assert.Equal(1, progressed);
            var rows = await bus.QueryAsync(db => db.TargetResults.AsNoTracking()
                .CountAsync(r => r.CorrelationId == saga.CorrelationId && r.Finished));
            Assert.Equal(2, rows);
        }
    }
}
