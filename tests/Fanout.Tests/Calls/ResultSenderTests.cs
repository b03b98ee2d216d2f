using Fanout.Bus.Hosting.Calls;
using Fanout.Contracts;

namespace Fanout.Tests.Calls;

/// <summary>A process's results across runs and services: sent at once when idle, gathered while a send is in flight.
/// </summary>
public class ResultSenderTests
{
    static CallResult Result(string key) => new()
    {
        Key = key, Ok = true, RequestedAtUtc = DateTime.UtcNow, RespondedAtUtc = DateTime.UtcNow,
    };

    /// <summary>Records every send; each send waits for its own release.</summary>
    sealed class Broker
    {
        public List<CallsCompletedForRuns> Sent { get; } = [];
        public List<TaskCompletionSource> Confirms { get; } = [];

        public Task Publish(CallsCompletedForRuns message)
        {
            lock (Sent)
            {
                Sent.Add(message);
                var confirm = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                Confirms.Add(confirm);
                return confirm.Task;
            }
        }

        public int Count
        {
            get
            {
                lock (Sent)
                    return Sent.Count;
            }
        }
    }

    static IEnumerable<(string Cid, string Key)> Content(CallsCompletedForRuns message) =>
        message.Runs.SelectMany(run => run.Results.Select(r => (run.Cid, r.Key)));

    [Fact]
    public async Task A_result_leaves_at_once_when_no_send_is_in_flight()
    {
        var broker = new Broker();
        var sender = new ResultSender(broker.Publish, maxPerMessage: 200);

        var confirmed = sender.SendAsync("run-a", "svc", Result("k1"));

        Assert.Equal(1, broker.Count);
        Assert.Equal(new[] { ("run-a", "k1") }, Content(broker.Sent[0]));
        Assert.Equal("svc", broker.Sent[0].Service);
        Assert.All(broker.Sent[0].Runs, run => Assert.Equal("svc", run.Service));
        Assert.False(confirmed.IsCompleted);
        broker.Confirms[0].SetResult();
        await confirmed.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Results_of_several_runs_that_finish_during_a_send_leave_together_in_the_next_one()
    {
        var broker = new Broker();
        var sender = new ResultSender(broker.Publish, maxPerMessage: 200);
        var first = sender.SendAsync("run-a", "svc", Result("a1"));

        var meanwhile = new[]
        {
            sender.SendAsync("run-b", "svc", Result("b1")),
            sender.SendAsync("run-a", "svc", Result("a2")),
            sender.SendAsync("run-c", "svc", Result("c1")),
            sender.SendAsync("run-b", "svc", Result("b2")),
        };

        Assert.Equal(1, broker.Count);
        Assert.Equal(4, sender.Waiting);
        Assert.DoesNotContain(meanwhile, t => t.IsCompleted);
        broker.Confirms[0].SetResult();
        await first.WaitAsync(TimeSpan.FromSeconds(10));
        await Eventually.Until(() => broker.Count, n => n == 2, "the second send");
        var second = broker.Sent[1];
        Assert.Equal(new[] { "run-b", "run-a", "run-c" }, second.Runs.Select(r => r.Cid));
        Assert.Equal(new[] { ("run-b", "b1"), ("run-b", "b2"), ("run-a", "a2"), ("run-c", "c1") }, Content(second));
        Assert.DoesNotContain(meanwhile, t => t.IsCompleted);
        broker.Confirms[1].SetResult();
        await Task.WhenAll(meanwhile).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(2, broker.Count);
        Assert.Equal(0, sender.Waiting);
    }

    [Fact]
    public async Task More_than_a_message_holds_leaves_in_the_sends_right_after()
    {
        var broker = new Broker();
        var sender = new ResultSender(broker.Publish, maxPerMessage: 2);
        var first = sender.SendAsync("run-a", "svc", Result("a1"));
        var rest = Enumerable.Range(1, 5).Select(i => sender.SendAsync("run-b", "svc", Result($"b{i}"))).ToList();

        for (var sent = 1; sent <= 4; sent++)
        {
            await Eventually.Until(() => broker.Count, n => n == sent, $"send {sent}");
            broker.Confirms[sent - 1].SetResult();
        }

        await Task.WhenAll(rest.Append(first)).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(new[] { 1, 2, 2, 1 }, broker.Sent.Select(m => Content(m).Count()));
    }

    [Fact]
    public async Task A_send_that_fails_fails_the_results_it_held_and_the_next_ones_still_leave()
    {
        var broker = new Broker();
        var sender = new ResultSender(broker.Publish, maxPerMessage: 200);
        var failed = sender.SendAsync("run-a", "svc", Result("a1"));
        var next = sender.SendAsync("run-b", "svc", Result("b1"));

        broker.Confirms[0].SetException(new TimeoutException("not confirmed"));

        await Assert.ThrowsAsync<TimeoutException>(() => failed.WaitAsync(TimeSpan.FromSeconds(10)));
        await Eventually.Until(() => broker.Count, n => n == 2, "the next send");
        broker.Confirms[1].SetResult();
        await next.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Results_of_one_run_from_several_services_leave_in_one_message_each_entry_naming_its_service()
    {
        var broker = new Broker();
        var sender = new ResultSender(broker.Publish, maxPerMessage: 200);
        var first = sender.SendAsync("run-0", "svc-a", Result("x"));
        var meanwhile = new[]
        {
            sender.SendAsync("run-a", "svc-a", Result("a1")),
            sender.SendAsync("run-a", "svc-b", Result("b1")),
            sender.SendAsync("run-a", "svc-a", Result("a2")),
        };

        broker.Confirms[0].SetResult();
        await first.WaitAsync(TimeSpan.FromSeconds(10));
        await Eventually.Until(() => broker.Count, n => n == 2, "the second send");
        var second = broker.Sent[1];
        Assert.Null(second.Service);
        Assert.Equal(new[] { ("run-a", "svc-a", "a1,a2"), ("run-a", "svc-b", "b1") },
            second.Runs.Select(r => (r.Cid, r.Service, string.Join(",", r.Results.Select(x => x.Key)))));
        Assert.Equal("svc-a", broker.Sent[0].Service);
        broker.Confirms[1].SetResult();
        await Task.WhenAll(meanwhile).WaitAsync(TimeSpan.FromSeconds(10));
    }
}
