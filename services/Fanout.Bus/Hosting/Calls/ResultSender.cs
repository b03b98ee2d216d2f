using Fanout.Contracts;

namespace Fanout.Bus.Hosting.Calls;

/// <summary>
/// Sends the results of every service, chunk and run this process works on, as <see cref="CallsCompletedForRuns"/>
/// messages, by opportunity rather than by timer: a result that finds no send in flight leaves at once; results that
/// finish while a send is in flight wait, and the next send takes all of them (up to <c>maxPerMessage</c>; more
/// leave in the sends right after). One send at a time, in order. <see cref="SendAsync"/>'s task completes when the
/// message holding the result was confirmed, and fails if it could not be published.
/// <para>
/// One sender per process, not per service: a run's targets on several services hosted here finish at about the same
/// time, and their results reach the run's saga in one message and one write.
/// </para>
/// </summary>
public sealed class ResultSender(Func<CallsCompletedForRuns, Task> publish, int maxPerMessage)
{
    readonly object _gate = new();
    // Batches not sent yet, oldest first; only the last one takes new results.
    readonly List<Batch> _waiting = [];
    bool _sending;

    /// <summary>Results handed over and not yet in a send.</summary>
    public int Waiting
    {
        get
        {
            lock (_gate)
                return _waiting.Sum(b => b.Count);
        }
    }

    public Task SendAsync(string cid, string service, CallResult result)
    {
        Batch batch;
        bool start;
        lock (_gate)
        {
            if (_waiting.Count == 0 || _waiting[^1].Count >= maxPerMessage)
                _waiting.Add(new Batch());
            batch = _waiting[^1];
            batch.Add(cid, service, result);
            start = !_sending;
            _sending = true;
        }

        if (start)
            _ = SendWaitingAsync();
        return batch.Confirmed;
    }

    /// <summary>Sends batch after batch until none is waiting; runs only while <see cref="_sending"/> is set.</summary>
    async Task SendWaitingAsync()
    {
        while (true)
        {
            Batch batch;
            lock (_gate)
            {
                if (_waiting.Count == 0)
                {
                    _sending = false;
                    return;
                }

                batch = _waiting[0];
                _waiting.RemoveAt(0);
            }

            try
            {
                await publish(batch.ToMessage()).ConfigureAwait(false);
                batch.Confirm();
            }
            catch (Exception ex)
            {
                batch.Fail(ex);
            }
        }
    }

    sealed class Batch
    {
        readonly TaskCompletionSource _confirmed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        // Each run's results per service, in the order their first result arrived.
        readonly Dictionary<(string Cid, string Service), List<CallResult>> _byRun = [];
        readonly List<(string Cid, string Service)> _runs = [];

        public int Count { get; private set; }
        public Task Confirmed => _confirmed.Task;

        public void Add(string cid, string service, CallResult result)
        {
            if (!_byRun.TryGetValue((cid, service), out var results))
            {
                _byRun[(cid, service)] = results = [];
                _runs.Add((cid, service));
            }

            results.Add(result);
            Count++;
        }

        public CallsCompletedForRuns ToMessage() => new()
        {
            Service = _runs.All(r => r.Service == _runs[0].Service) ? _runs[0].Service : null,
            Runs = _runs.Select(run => new CallsCompleted
            {
                Cid = run.Cid, Service = run.Service, Results = _byRun[run],
            }).ToList(),
        };

        public void Confirm() => _confirmed.TrySetResult();
        public void Fail(Exception ex) => _confirmed.TrySetException(ex);
    }
}
