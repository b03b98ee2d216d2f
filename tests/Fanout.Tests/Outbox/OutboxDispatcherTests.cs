using System.Collections.Concurrent;
using Fanout.Contracts;
using Fanout.Orchestrator.Outbox;
using Fanout.Orchestrator.Persistence;
using Fanout.Tests.Support;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace Fanout.Tests.Outbox;

/// <summary>
/// Committed rows leave batched by opportunity: a group commit's together, rows committed during a delivery in the
/// next one, undelivered rows through the relay; the services run every call once.
/// </summary>
public class OutboxDispatcherTests
{
    static List<InvokeCallsForRuns> SentBatches(EmbeddedBus bus, string prefix) =>
        bus.Harness.Sent.Select<InvokeCallsForRuns>().Where(s => s.Exception is null).Select(s => s.Context.Message)
            .Where(m => m.Runs.Any(r => r.Cid.StartsWith(prefix, StringComparison.Ordinal))).ToList();

    static List<InvokeCalls> SentAlone(EmbeddedBus bus, string prefix) =>
        bus.Harness.Sent.Select<InvokeCalls>().Where(s => s.Exception is null).Select(s => s.Context.Message)
            .Where(m => m.Cid.StartsWith(prefix, StringComparison.Ordinal)).ToList();

    static List<FanoutStateChanges> PublishedChanges(EmbeddedBus bus, string prefix) =>
        bus.Harness.Published.Select<FanoutStateChanges>().Select(s => s.Context.Message)
            .Where(m => m.Changes.Any(c => c.Run.Cid.StartsWith(prefix, StringComparison.Ordinal))).ToList();

    /// <summary>Each run's one call ran exactly once on t.ok, once everything sent was handled.</summary>
    static async Task AssertEachCallRanOnce(EmbeddedBus bus, IReadOnlyCollection<string> cids)
    {
        await bus.Recorder.WaitFor(all => cids.All(cid => all.Any(i => i.Service == "t.ok" && i.Cid == cid)));
        await bus.WaitForIdle();
        Assert.All(cids, cid => Assert.Single(bus.Recorder.Of("t.ok", cid)));
    }

    [Fact]
    public async Task The_runs_of_one_group_commit_leave_as_one_invocation_and_one_state_change_message()
    {
        await using var bus = await EmbeddedBus.StartAsync();
        var group = bus.Services.GetRequiredService<SagaWriteGroup>();
        var dispatcher = bus.Services.GetRequiredService<OutboxDispatcher>();
        var committed = new List<string>();

        // Holding the turn while the members ask for it puts all of them in one transaction.
        var holder = await group.JoinAsync(CancellationToken.None);
        var members = Enumerable.Range(0, 4).Select(i => MemberAsync($"group-{i}")).ToList();
        await holder.LeaveAsync(keep: false);
        await Task.WhenAll(members).WaitAsync(TimeSpan.FromSeconds(30));

        var batch = Assert.Single(SentBatches(bus, "group-"));
        Assert.Equal(committed, batch.Runs.Select(r => r.Cid));
        Assert.Empty(SentAlone(bus, "group-"));
        var changes = Assert.Single(PublishedChanges(bus, "group-"));
        Assert.Equal(committed, changes.Changes.Select(c => c.Run.Cid));
        await AssertEachCallRanOnce(bus, committed);

        async Task MemberAsync(string cid)
        {
            var member = await group.JoinAsync(CancellationToken.None);
            Task? delivered = null;
            IReadOnlyList<OutboxMessage> rows =
                [OutboxRows.Invocation(cid), OutboxRows.StateChange(cid, FanoutStateChanged.Started)];
            await member.LeaveAsync(keep: true, () =>
            {
                committed.Add(cid);
                delivered = dispatcher.Enqueue(rows);
            });
            dispatcher.Start();
            await delivered!;
        }
    }

    [Fact]
    public async Task Rows_handed_over_while_a_delivery_is_in_flight_leave_together_in_the_next_one()
    {
        await using var bus = await EmbeddedBus.StartAsync();
        var dispatcher = bus.Services.GetRequiredService<OutboxDispatcher>();
        var holding = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var hold = bus.Harness.Bus.ConnectSendObserver(new HoldSends(m => m is InvokeCalls { Cid: "flight-0" },
            async () =>
            {
                holding.TrySetResult();
                await release.Task;
            }));

        var first = dispatcher.DeliverAsync([OutboxRows.Invocation("flight-0")]);
        await holding.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var second = dispatcher.DeliverAsync([OutboxRows.Invocation("flight-1"), OutboxRows.Invocation("flight-2")]);
        var third = dispatcher.DeliverAsync(
            [OutboxRows.Invocation("flight-3"), OutboxRows.StateChange("flight-3", FanoutStateChanged.Started)]);
        // Nothing of theirs left while the first delivery was in flight.
        Assert.Empty(SentBatches(bus, "flight-"));
        Assert.Empty(PublishedChanges(bus, "flight-"));
        release.SetResult();
        await Task.WhenAll(first, second, third).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(["flight-0"], SentAlone(bus, "flight-").Select(m => m.Cid));
        var batch = Assert.Single(SentBatches(bus, "flight-"));
        Assert.Equal(["flight-1", "flight-2", "flight-3"], batch.Runs.Select(r => r.Cid));
        Assert.Single(PublishedChanges(bus, "flight-"));
        await AssertEachCallRanOnce(bus, ["flight-0", "flight-1", "flight-2", "flight-3"]);
    }

    [Fact]
    public async Task Rows_whose_delivery_failed_stay_for_the_relay_which_delivers_them_coalesced()
    {
        await using var bus = await EmbeddedBus.StartAsync();
        var dispatcher = bus.Services.GetRequiredService<OutboxDispatcher>();
        var delivered = bus.Services.GetRequiredService<DeliveredOutboxMessages>();
        var failing = true;
        using var fail = bus.Harness.Bus.ConnectSendObserver(new HoldSends(m => Volatile.Read(ref failing)
            && m is InvokeCallsForRuns { Service: "t.ok" }, () => throw new InvalidOperationException("no broker")));
        // The harness lists a message once per MessageId: the failed try, not the relay's with the same id.
        var sent = new SentMessages();
        using var watch = bus.Harness.Bus.ConnectSendObserver(sent);
        // Committed a while ago (the relay leaves fresh rows to the session delivering them).
        var rows = Enumerable.Range(0, 3).Select(i => OutboxRows.Invocation($"failed-{i}")).ToList();
        rows.ForEach(r => r.CreatedAtUtc = DateTime.UtcNow.AddMinutes(-1));
        await bus.QueryAsync(db =>
        {
            db.Set<OutboxMessage>().AddRange(rows.Select(OutboxRows.Stored));
            return db.SaveChangesAsync();
        });

        await Assert.ThrowsAnyAsync<Exception>(() => dispatcher.DeliverAsync(rows).WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.All(rows, r => Assert.False(delivered.Contains(r.Id)));

        Volatile.Write(ref failing, false);
        await bus.Services.GetRequiredService<OutboxRelay>().DeliverStrandedAsync(CancellationToken.None);

        var cids = rows.Select(r => r.Cid).ToList();
        await AssertEachCallRanOnce(bus, cids);
        Assert.Contains(sent.Of<InvokeCallsForRuns>(), b => b.Runs.Select(r => r.Cid).SequenceEqual(cids));
        Assert.DoesNotContain(sent.Of<InvokeCalls>(), m => cids.Contains(m.Cid));
    }

    /// <summary>The messages sent successfully.</summary>
    sealed class SentMessages : ISendObserver
    {
        readonly ConcurrentQueue<object> _sent = new();

        public IReadOnlyList<T> Of<T>() => _sent.OfType<T>().ToList();

        public Task PreSend<T>(SendContext<T> context) where T : class => Task.CompletedTask;

        public Task PostSend<T>(SendContext<T> context) where T : class
        {
            _sent.Enqueue(context.Message);
            return Task.CompletedTask;
        }

        public Task SendFault<T>(SendContext<T> context, Exception exception) where T : class => Task.CompletedTask;
    }

    /// <summary>Runs <paramref name="action"/> before sending a message that <paramref name="matches"/>.</summary>
    sealed class HoldSends(Func<object, bool> matches, Func<Task> action) : ISendObserver
    {
        public Task PreSend<T>(SendContext<T> context) where T : class =>
            matches(context.Message) ? action() : Task.CompletedTask;

        public Task PostSend<T>(SendContext<T> context) where T : class => Task.CompletedTask;

        public Task SendFault<T>(SendContext<T> context, Exception exception) where T : class => Task.CompletedTask;
    }
}
