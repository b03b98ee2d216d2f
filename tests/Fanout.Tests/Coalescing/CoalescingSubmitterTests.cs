using System.Collections.Concurrent;
using System.Diagnostics;
using Fanout.Bus.Coalescing;
using Fanout.Testing;

namespace Fanout.Tests.Coalescing;

/// <summary>
/// The loop the gateway and the client share, with requests the test answers by hand: a lone submission leaves at
/// once, a batch forms only from what arrives while every request is out, and each caller gets its own outcome.
/// </summary>
public class CoalescingSubmitterTests
{
    [Fact]
    public async Task A_lone_submission_leaves_at_once_and_a_batch_forms_only_while_every_request_is_out()
    {
        using var submitter = new ScriptedSubmitter(maxInFlight: 2);

        var first = submitter.Submit(1);
        await submitter.SentCount(1);
        var second = submitter.Submit(2);
        await submitter.SentCount(2);
        var later = new[] { 3, 4, 5 }.Select(i => submitter.Submit(i)).ToList();
        await Eventually.Until(() => submitter.Waiting, n => n == 3, "three submissions waiting");
        Assert.Equal(2, submitter.Sent.Count);

        submitter.Sent[0].Answer();
        await submitter.SentCount(3);
        submitter.Sent[1].Answer();
        submitter.Sent[2].Answer();

        Assert.Equal([[1], [2], [3, 4, 5]], submitter.Sent.Select(s => s.Items));
        Assert.Equal(["answer 1", "answer 2"], await Task.WhenAll(first, second));
        Assert.Equal(["answer 3", "answer 4", "answer 5"], await Task.WhenAll(later));
        Assert.Equal(0, submitter.Waiting);
    }

    [Fact]
    public async Task A_failed_request_fails_only_the_submissions_it_carried()
    {
        using var submitter = new ScriptedSubmitter(maxInFlight: 1);
        var alone = submitter.Submit(1);
        await submitter.SentCount(1);
        var together = new[] { 2, 3 }.Select(i => submitter.Submit(i)).ToList();
        await Eventually.Until(() => submitter.Waiting, n => n == 2, "two submissions waiting");

        submitter.Sent[0].Fail(new TimeoutException("no answer"));
        await submitter.SentCount(2);
        var last = submitter.Submit(4);
        submitter.Sent[1].Answer();
        await submitter.SentCount(3);
        submitter.Sent[2].Answer();

        Assert.Equal("no answer", (await Assert.ThrowsAsync<TimeoutException>(() => alone)).Message);
        Assert.Equal(["answer 2", "answer 3"], await Task.WhenAll(together));
        Assert.Equal("answer 4", await last);
    }

    [Fact]
    public async Task A_response_with_the_wrong_number_of_answers_fails_every_submission_it_carried()
    {
        using var submitter = new ScriptedSubmitter(maxInFlight: 1);
        var alone = submitter.Submit(1);
        await submitter.SentCount(1);
        var together = new[] { 2, 3 }.Select(i => submitter.Submit(i)).ToList();
        await Eventually.Until(() => submitter.Waiting, n => n == 2, "two submissions waiting");
        submitter.Sent[0].Answer();
        await submitter.SentCount(2);

        submitter.Sent[1].Response.SetResult(["only one"]);

        Assert.Equal("answer 1", await alone);
        foreach (var submission in together)
            Assert.Contains("1 answers came back for the 2",
                (await Assert.ThrowsAsync<InvalidOperationException>(() => submission)).Message);
    }

    [Fact]
    public async Task A_cancelled_caller_still_waiting_never_leaves_and_one_already_sent_leaves_the_others_answered()
    {
        using var submitter = new ScriptedSubmitter(maxInFlight: 1);
        var first = submitter.Submit(1);
        await submitter.SentCount(1);
        using var cancelWaiting = new CancellationTokenSource();
        using var cancelSent = new CancellationTokenSource();
        var withdrawn = submitter.Submit(2, cancelWaiting.Token);
        var kept = submitter.Submit(3);
        var abandoned = submitter.Submit(4, cancelSent.Token);
        await Eventually.Until(() => submitter.Waiting, n => n == 3, "three submissions waiting");

        await cancelWaiting.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => withdrawn);
        Assert.Equal(2, submitter.Waiting);
        submitter.Sent[0].Answer();
        await submitter.SentCount(2);
        await cancelSent.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => abandoned);
        submitter.Sent[1].Answer();

        Assert.Equal([[1], [3, 4]], submitter.Sent.Select(s => s.Items));
        Assert.Equal("answer 1", await first);
        Assert.Equal("answer 3", await kept);
    }

    [Fact]
    public async Task A_batch_holds_at_most_its_count_and_bytes_and_an_item_of_unknown_size_goes_alone()
    {
        using var submitter = new ScriptedSubmitter(maxInFlight: 1, maxBatch: 3, maxBatchBytes: 100);
        var blocker = submitter.Submit(0);
        await submitter.SentCount(1);
        var waiting = new List<Task<string>>
        {
            submitter.Submit(1), submitter.Submit(2), submitter.Submit(3), submitter.Submit(4),
            submitter.Submit(5, bytes: 60), submitter.Submit(6, bytes: 60), submitter.Submit(7, bytes: null),
            submitter.Submit(8),
        };
        await Eventually.Until(() => submitter.Waiting, n => n == 8, "eight submissions waiting");

        for (var i = 0; i < 5; i++)
        {
            submitter.Sent[i].Answer();
            await submitter.SentCount(i + 2);
        }
        submitter.Sent[5].Answer();

        Assert.Equal([[0], [1, 2, 3], [4, 5], [6], [7], [8]], submitter.Sent.Select(s => s.Items));
        Assert.Equal("answer 0", await blocker);
        Assert.Equal(Enumerable.Range(1, 8).Select(i => $"answer {i}"), await Task.WhenAll(waiting));
    }

    [Fact]
    public async Task A_lone_item_is_sent_in_its_callers_span_and_a_shared_request_in_none_of_theirs()
    {
        using var submitter = new ScriptedSubmitter(maxInFlight: 1);
        Task<string> Traced(int item, out Activity span)
        {
            span = new Activity($"caller {item}").Start();
            try
            {
                return submitter.Submit(item);
            }
            finally
            {
                Activity.Current = null;
            }
        }

        var alone = Traced(1, out var first);
        await submitter.SentCount(1);
        var together = new[] { Traced(2, out _), Traced(3, out _) };
        await Eventually.Until(() => submitter.Waiting, n => n == 2, "two submissions waiting");
        submitter.Sent[0].Answer();
        await submitter.SentCount(2);
        submitter.Sent[1].Answer();
        await Task.WhenAll(together.Append(alone));

        Assert.Same(first, submitter.Sent[0].Span);
        Assert.Null(submitter.Sent[1].Span);
    }

    [Fact]
    public async Task Once_stopped_it_cancels_what_waits_and_refuses_new_submissions()
    {
        using var submitter = new ScriptedSubmitter(maxInFlight: 1);
        var sent = submitter.Submit(1);
        await submitter.SentCount(1);
        var waiting = submitter.Submit(2);
        await Eventually.Until(() => submitter.Waiting, n => n == 1, "one submission waiting");

        await submitter.StopAsync(CancellationToken.None);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sent);
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => submitter.Submit(3));
        Assert.Contains("stopping", refused.Message);
        Assert.Single(submitter.Sent);
    }

    /// <summary>Requests of ints answered by the test: each one recorded with the response it waits for.</summary>
    sealed class ScriptedSubmitter(int maxInFlight, int maxBatch = 64, long maxBatchBytes = 1000)
        : CoalescingSubmitter<int, string, int[], string[]>(null!, TimeSpan.FromSeconds(30), maxInFlight, maxBatch,
            maxBatchBytes)
    {
        readonly ConcurrentQueue<Request> _sent = new();

        public IReadOnlyList<Request> Sent => _sent.ToList();

        public Task<string> Submit(int item, CancellationToken cancellationToken = default) =>
            Submit(item, 10, cancellationToken);

        public Task<string> Submit(int item, long? bytes, CancellationToken cancellationToken = default) =>
            SubmitAsync(item, bytes, cancellationToken);

        public Task SentCount(int count) =>
            Eventually.Until(() => _sent.Count, n => n >= count, $"{count} requests sent");

        protected override int[] Request(IReadOnlyList<int> batch) => batch.ToArray();

        protected override IReadOnlyList<string> Answers(string[] response) => response;

        protected override async Task<string[]> SendAsync(int[] request, CancellationToken cancellationToken)
        {
            var sent = new Request(request) { Span = Activity.Current };
            _sent.Enqueue(sent);
            return await sent.Response.Task.WaitAsync(cancellationToken);
        }
    }

    sealed record Request(int[] Items)
    {
        /// <summary>The span current when the request was sent.</summary>
        public Activity? Span { get; init; }

        public TaskCompletionSource<string[]> Response { get; } =
            new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Answer() => Response.SetResult(Items.Select(i => $"answer {i}").ToArray());

        public void Fail(Exception exception) => Response.SetException(exception);
    }
}
