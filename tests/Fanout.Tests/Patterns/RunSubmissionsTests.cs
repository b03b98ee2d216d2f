using Fanout.Bus;
using Fanout.Bus.Patterns;
using Fanout.Bus.Resilience;
using Fanout.Contracts;
using Fanout.Orchestrator.StateMachines;
using Fanout.Tests.Calls;
using Fanout.Tests.Support;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Fanout.Tests.Patterns;

/// <summary>
/// Runs the C# client submits while its requests are out leave together, as one <see cref="InvokeFanouts"/>; each
/// caller still gets its own outcome: its CID, its refusal, its timeout.
/// </summary>
public class RunSubmissionsTests
{
    static Task<string> Invoke(IFanoutPatterns patterns, string cid, CancellationToken cancellationToken = default) =>
        patterns.Fanout.InvokeAsync(new Dictionary<string, object?> { ["nobody.a"] = 1 }, ["cb.final1"], cid: cid,
            cancellationToken: cancellationToken);

    /// <summary>
    /// Four runs sent one by one, each alone, whose locks the test holds: every request the client may have out stays
    /// out until <paramref name="held"/> is released.
    /// </summary>
    static async Task<List<Task<string>>> FillEveryRequest(EmbeddedBus bus, BusObserver observer, string prefix,
        List<IDisposable> held)
    {
        var locks = bus.Services.GetRequiredService<RunLocks>();
        var runs = new List<Task<string>>();
        for (var i = 0; i < 4; i++)
        {
            held.Add(await locks.EnterAsync($"{prefix}-{i}", CancellationToken.None));
            runs.Add(Invoke(bus.Patterns, $"{prefix}-{i}"));
            var sent = i + 1;
            await Eventually.Until(() => observer.Published<InvokeFanouts>().Count, n => n == sent,
                $"{sent} requests out");
        }
        return runs;
    }

    [Fact]
    public async Task Runs_submitted_while_every_request_is_out_leave_as_one_message_each_caller_getting_its_cid()
    {
        await using var bus = await EmbeddedBus.StartAsync();
        var submissions = bus.Services.GetRequiredService<RunSubmissions>();
        // Counted as they leave: the harness's own lists wait for the bus to fall idle, and held requests keep it busy.
        var observer = new BusObserver();
        using var _ = bus.Harness.Bus.ConnectPublishObserver(observer);

        var held = new List<IDisposable>();
        List<Task<string>> first;
        List<Task<string>> later;
        try
        {
            first = await FillEveryRequest(bus, observer, "c-held", held);
            later = Enumerable.Range(0, 10).Select(i => Invoke(bus.Patterns, $"c-later-{i}")).ToList();
            await Eventually.Until(() => submissions.Waiting, n => n == 10, "ten submissions waiting for a request");
            Assert.Equal(4, observer.Published<InvokeFanouts>().Count);
        }
        finally
        {
            held.ForEach(h => h.Dispose());
        }

        var cids = await Task.WhenAll(first.Concat(later));
        Assert.Equal(Enumerable.Range(0, 4).Select(i => $"c-held-{i}")
            .Concat(Enumerable.Range(0, 10).Select(i => $"c-later-{i}")), cids);
        Assert.Equal([1, 1, 1, 1, 10], observer.Published<InvokeFanouts>().Select(m => m.Runs.Count));
        Assert.Empty(observer.Published<InvokeFanout>());
        foreach (var cid in cids)
            Assert.Equal("Running", (await bus.FindSaga(cid))!.CurrentState);
    }

    [Fact]
    public async Task A_refused_run_in_a_shared_request_throws_at_its_callers_site_alone()
    {
        await using var bus = await EmbeddedBus.StartAsync();
        await Invoke(bus.Patterns, "c-taken");
        var observer = new BusObserver();
        using var _ = bus.Harness.Bus.ConnectPublishObserver(observer);

        Task<string>[] submitted;
        var held = new List<IDisposable>();
        try
        {
            await FillEveryRequest(bus, observer, "c-hold", held);
            submitted =
                [Invoke(bus.Patterns, "c-free-1"), Invoke(bus.Patterns, "c-taken"), Invoke(bus.Patterns, "c-free-2")];
            var submissions = bus.Services.GetRequiredService<RunSubmissions>();
            await Eventually.Until(() => submissions.Waiting, n => n == 3, "three submissions waiting for a request");
        }
        finally
        {
            held.ForEach(h => h.Dispose());
        }

        Assert.Equal("c-free-1", await submitted[0]);
        var refused = await Assert.ThrowsAsync<FanoutRequestException>(() => submitted[1]);
        Assert.Equal((FanoutRejected.CidInUse, "c-taken"), (refused.Code, refused.Cid));
        Assert.Contains("already in use", refused.Message);
        Assert.Equal("c-free-2", await submitted[2]);
        var shared = Assert.Single(observer.Published<InvokeFanouts>(), m => m.Runs.Count == 3);
        Assert.Equal(["c-free-1", "c-taken", "c-free-2"], shared.Runs.Select(r => r.Cid));
    }

    [Fact]
    public async Task Runs_sharing_an_unanswered_request_each_time_out_naming_their_own_cid()
    {
        // A bus with no orchestrator: nobody answers.
        var services = new ServiceCollection().AddMassTransitTestHarness().BuildServiceProvider(true);
        await using var __ = services;
        var harness = services.GetRequiredService<ITestHarness>();
        await harness.Start();
        var settings = new FanoutBusSettings { AcknowledgeTimeout = TimeSpan.FromMilliseconds(500) };
        using var submissions = new RunSubmissions(harness.Bus, settings,
            new BoundedPublish(settings, NullLogger<BoundedPublish>.Instance));
        var patterns = new PatternsFactory(submissions, settings, null!, null!, TimeProvider.System).ForSource("tests");

        var lone = Invoke(patterns, "c-lone");
        var moreWhileOut = Enumerable.Range(0, 4).Select(i => Invoke(patterns, $"c-more-{i}")).ToList();
        var timedOut = await Task.WhenAll(
            moreWhileOut.Prepend(lone).Select(t => Assert.ThrowsAsync<TimeoutException>(() => t)));

        Assert.Equal(["c-lone", "c-more-0", "c-more-1", "c-more-2", "c-more-3"],
            timedOut.Select(e => e.Message.Split('\'')[1]));
        Assert.All(timedOut, e => Assert.Contains("Send it again with the same CID", e.Message));
    }

    [Fact]
    public async Task A_caller_cancelled_while_its_run_waits_for_a_request_never_starts_it()
    {
        await using var bus = await EmbeddedBus.StartAsync();
        var submissions = bus.Services.GetRequiredService<RunSubmissions>();
        var observer = new BusObserver();
        using var _ = bus.Harness.Bus.ConnectPublishObserver(observer);
        using var cancel = new CancellationTokenSource();

        var held = new List<IDisposable>();
        List<Task<string>> blockers;
        Task<string> kept;
        try
        {
            blockers = await FillEveryRequest(bus, observer, "c-block", held);
            var cancelled = Invoke(bus.Patterns, "c-cancelled", cancel.Token);
            kept = Invoke(bus.Patterns, "c-kept");
            await Eventually.Until(() => submissions.Waiting, n => n == 2, "two submissions waiting for a request");
            await cancel.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        }
        finally
        {
            held.ForEach(h => h.Dispose());
        }

        Assert.Equal("c-kept", await kept);
        await Task.WhenAll(blockers);
        Assert.DoesNotContain(observer.Published<InvokeFanouts>().SelectMany(m => m.Runs), r => r.Cid == "c-cancelled");
        Assert.Null(await bus.FindSaga("c-cancelled"));
    }
}
