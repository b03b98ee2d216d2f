using System.Diagnostics;
using MassTransit;

namespace Fanout.Testing;

/// <summary>
/// Quiescence of an in-process MassTransit bus, for "nothing else happened" assertions: counts messages whose
/// receive started and did not finish (a consumer running, a retry waiting, a batch filling), and notes when the bus
/// last received, consumed, sent or published anything.
/// </summary>
/// <remarks>
/// The test harness's <c>InactivityTask</c> is not enough here: it completes once per harness and stays completed, so
/// after any quiet second earlier in a test (a deferred target, a deadline) it proves nothing; and it is a timer
/// only, so a consumer busier than its timeout counts as inactive. This monitor can be awaited any number of times
/// and is idle only while no receive is in flight. The short <see cref="Settle"/> window covers the one hop it cannot
/// see: a message written to a queue but not yet picked up by that queue's receive loop (in memory, a thread hop).
/// </remarks>
public sealed class BusActivity : IReceiveObserver, IConsumeObserver, ISendObserver, IPublishObserver
{
    readonly Stopwatch _clock = Stopwatch.StartNew();
    readonly List<ConnectHandle> _handles = [];
    int _inFlight;
    long _lastActivityTicks;

    public static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(150);

    /// <summary>Starts observing <paramref name="bus"/>; connect before the test publishes anything.</summary>
    public static BusActivity Observe(IBus bus)
    {
        var activity = new BusActivity();
        activity._handles.Add(bus.ConnectReceiveObserver(activity));
        activity._handles.Add(bus.ConnectConsumeObserver(activity));
        activity._handles.Add(bus.ConnectSendObserver(activity));
        activity._handles.Add(bus.ConnectPublishObserver(activity));
        return activity;
    }

    public int InFlight => Volatile.Read(ref _inFlight);

    TimeSpan SinceLastActivity => _clock.Elapsed - TimeSpan.FromTicks(Interlocked.Read(ref _lastActivityTicks));

    public override string ToString() =>
        $"{InFlight} receive(s) in flight, last activity {SinceLastActivity.TotalMilliseconds:0} ms ago";

    /// <summary>
    /// Waits until no receive is in flight and nothing was received, consumed, sent or published for
    /// <paramref name="settle"/> (default <see cref="Settle"/>). Fails with the last observed state on timeout.
    /// </summary>
    public Task WaitForIdle(TimeSpan? timeout = null, TimeSpan? settle = null)
    {
        var quiet = settle ?? Settle;
        return Eventually.Until(() => this, a => a.InFlight == 0 && a.SinceLastActivity >= quiet, "the bus to go idle", timeout,
            a => a.ToString());
    }

    /// <summary>Every observer of all buses idle at once (several hosts in one test).</summary>
    public static Task WaitForIdle(IReadOnlyList<BusActivity> buses, TimeSpan? timeout = null, TimeSpan? settle = null)
    {
        var quiet = settle ?? Settle;
        return Eventually.Until(() => buses, all => all.All(a => a.InFlight == 0 && a.SinceLastActivity >= quiet),
            "every bus to go idle", timeout, all => string.Join("; ", all.Select(a => a.ToString())));
    }

    public void Disconnect()
    {
        foreach (var handle in _handles)
            handle.Disconnect();
        _handles.Clear();
    }

    Task Touch()
    {
        Interlocked.Exchange(ref _lastActivityTicks, _clock.Elapsed.Ticks);
        return Task.CompletedTask;
    }

    Task IReceiveObserver.PreReceive(ReceiveContext context)
    {
        Interlocked.Increment(ref _inFlight);
        return Touch();
    }

    Task IReceiveObserver.PostReceive(ReceiveContext context)
    {
        Touch();
        Interlocked.Decrement(ref _inFlight);
        return Task.CompletedTask;
    }

    Task IReceiveObserver.ReceiveFault(ReceiveContext context, Exception exception)
    {
        Touch();
        Interlocked.Decrement(ref _inFlight);
        return Task.CompletedTask;
    }

    Task IReceiveObserver.PostConsume<T>(ConsumeContext<T> context, TimeSpan duration, string consumerType) => Touch();
    Task IReceiveObserver.ConsumeFault<T>(ConsumeContext<T> context, TimeSpan duration, string consumerType, Exception exception) => Touch();
    Task IConsumeObserver.PreConsume<T>(ConsumeContext<T> context) => Touch();
    Task IConsumeObserver.PostConsume<T>(ConsumeContext<T> context) => Touch();
    Task IConsumeObserver.ConsumeFault<T>(ConsumeContext<T> context, Exception exception) => Touch();
    Task ISendObserver.PreSend<T>(SendContext<T> context) => Touch();
    Task ISendObserver.PostSend<T>(SendContext<T> context) => Touch();
    Task ISendObserver.SendFault<T>(SendContext<T> context, Exception exception) => Touch();
    Task IPublishObserver.PrePublish<T>(PublishContext<T> context) => Touch();
    Task IPublishObserver.PostPublish<T>(PublishContext<T> context) => Touch();
    Task IPublishObserver.PublishFault<T>(PublishContext<T> context, Exception exception) => Touch();
}
