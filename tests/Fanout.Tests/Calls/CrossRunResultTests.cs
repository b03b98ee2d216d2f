using Fanout.Bus.Hosting.Calls;
using Fanout.Contracts;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using static Fanout.Tests.Calls.ServiceHost;

namespace Fanout.Tests.Calls;

/// <summary>A service host sends the results of all the runs it works on together, one send at a time.</summary>
public class CrossRunResultTests
{
    /// <summary>Holds the first <see cref="CallsCompletedForRuns"/> send (in flight) until released.</summary>
    sealed class HoldFirstSend(Task release) : ISendObserver
    {
        int _seen;

        public int Held => Volatile.Read(ref _seen) > 0 ? 1 : 0;

        public async Task PreSend<T>(SendContext<T> context) where T : class
        {
            if (context.Message is CallsCompletedForRuns && Interlocked.Increment(ref _seen) == 1)
                await release;
        }

        public Task PostSend<T>(SendContext<T> context) where T : class => Task.CompletedTask;
        public Task SendFault<T>(SendContext<T> context, Exception exception) where T : class => Task.CompletedTask;
    }

    [Fact]
    public async Task Results_of_several_runs_finishing_during_a_send_leave_in_one_message()
    {
        await using var host = await StartAsync();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var hold = new HoldFirstSend(release.Task);
        host.Harness.Bus.ConnectSendObserver(hold);
        var sender = host.Services.GetRequiredService<ResultSender>();

        var first = Chunk("t.calls.echo", Call("first"));
        var firstId = await host.SendAsync(first);
        await Eventually.Until(() => hold.Held, n => n == 1, "the first result's send in flight");
        var others = Enumerable.Range(0, 3).Select(i => Chunk("t.calls.echo", Call($"key-{i}"))).ToList();
        var ids = await Task.WhenAll(others.Select(c => host.SendAsync(c)));
        await Eventually.Until(() => sender.Waiting, n => n == 3, "three runs' results waiting");

        // A chunk is acknowledged only once its results were confirmed.
        Assert.Equal(0, host.Observed.Consumed(firstId));
        Assert.Empty(host.Observed.Sent<CallsCompletedForRuns>());
        release.SetResult();
        await Task.WhenAll(ids.Append(firstId).Select(id => host.Consumed(id)));

        var sent = host.Observed.Sent<CallsCompletedForRuns>();
        Assert.Equal(2, sent.Count);
        Assert.Equal(new[] { first.Cid }, sent[0].Runs.Select(r => r.Cid));
        Assert.Equal(others.Select(c => c.Cid).Order(), sent[1].Runs.Select(r => r.Cid).Order());
        Assert.All(sent[1].Runs, run => Assert.Equal(
            others.Single(c => c.Cid == run.Cid).Calls.Select(c => c.Key), run.Results.Select(r => r.Key)));
        Assert.All(sent, message => Assert.Equal("t.calls.echo", message.Service));
    }
}
