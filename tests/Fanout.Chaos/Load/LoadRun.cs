using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Fanout.Bus.Patterns;
using Fanout.Chaos.Parts;
using Fanout.Contracts;

namespace Fanout.Chaos.Load;

/// <summary>
/// One scenario's load: <c>fanouts</c> runs of ten targets with a final and a per-target callback — even-numbered ones
/// through the C# API on the bus, odd-numbered ones through the gateway's HTTP API — and <c>orders</c> FIFO orders
/// through the gateway, all submitted at once with bounded concurrency. Like a careful client, a submission that failed
/// (timeout, connection refused, 5xx) is retried with the same CID until the run's deadline; an answer that the CID is
/// already in use means an earlier attempt was accepted. Only accepted runs and orders are counted afterwards.
/// </summary>
public sealed class LoadRun
{
    const int InFlight = 24;
    static readonly TimeSpan RetryPause = TimeSpan.FromSeconds(1);

    /// <summary>An attempt that neither answers nor fails within this is abandoned (and counted) and retried.</summary>
    static readonly TimeSpan AttemptLimit = TimeSpan.FromSeconds(60);
    static readonly IReadOnlyDictionary<string, object?> Targets = ChaosNames.Targets.ToDictionary(t => t, _ => (object?)new { });

    readonly ConcurrentDictionary<string, byte> _acceptedRuns = new();
    readonly ConcurrentDictionary<string, byte> _acceptedOrders = new();
    readonly ConcurrentQueue<string> _refusals = new();
    int _hung;
    int _timedOut;

    LoadRun(IReadOnlyList<string> cids) => Cids = cids;

    public IReadOnlyList<string> Cids { get; }
    public IReadOnlyCollection<string> AcceptedRuns => _acceptedRuns.Keys.ToList();
    public IReadOnlyCollection<string> AcceptedOrders => _acceptedOrders.Keys.ToList();

    /// <summary>Submissions refused for a reason other than "CID in use": none are expected.</summary>
    public IReadOnlyCollection<string> Refusals => _refusals;

    /// <summary>Submission attempts that hung: no answer and no error within <see cref="AttemptLimit"/>.</summary>
    public int Hung => Volatile.Read(ref _hung);

    /// <summary>Submission attempts that failed with a timeout (not acknowledged in time) and were sent again.</summary>
    public int TimedOut => Volatile.Read(ref _timedOut);

    public Task Submitted { get; private set; } = Task.CompletedTask;

    public static LoadRun Start(string scenario, int fanouts, int orders, HarnessClient client, HttpClient gateway,
        CancellationToken cancellationToken)
    {
        var prefix = $"{scenario}-{Guid.NewGuid():N}"[..(scenario.Length + 9)];
        var load = new LoadRun(Enumerable.Range(0, fanouts).Select(i => $"{prefix}-{i}").ToList());
        var runs = Parallel.ForAsync(0, fanouts, Options(cancellationToken), async (i, token) =>
        {
            var cid = load.Cids[i];
            if (await UntilAnswered(() => i % 2 == 0 ? ViaBus(client.Patterns, cid, token) : ViaGateway(gateway, cid, token), token))
                load._acceptedRuns.TryAdd(cid, 0);
        });
        var fifo = Parallel.ForAsync(0, orders, Options(cancellationToken), async (i, token) =>
        {
            string? id = null;
            if (await UntilAnswered(async () => (id = await SubmitOrder(gateway, i, token)) is not null, token))
                load._acceptedOrders.TryAdd(id!, 0);
        });
        load.Submitted = Task.WhenAll(runs, fifo);
        return load;

        // true: accepted; false: refused for good (recorded); retried while the system cannot answer.
        async Task<bool> UntilAnswered(Func<Task<bool>> submit, CancellationToken token)
        {
            while (true)
            {
                try
                {
                    // A call that ignores its cancellation token must not hold the scenario: abandon it after the limit.
                    // A TimeoutException the call throws itself (not acknowledged in time) is an answer, retried below.
                    var attempt = submit();
                    if (await Task.WhenAny(attempt, Task.Delay(AttemptLimit, token)) != attempt)
                    {
                        Interlocked.Increment(ref load._hung);
                        _ = attempt.ContinueWith(t => t.Exception, TaskScheduler.Default);
                        token.ThrowIfCancellationRequested();
                        continue;
                    }

                    return await attempt;
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !token.IsCancellationRequested)
                {
                    if (ex is TimeoutException)
                        Interlocked.Increment(ref load._timedOut);
                    if (ex is RefusedException refused)
                    {
                        load._refusals.Enqueue(refused.Message);
                        return false;
                    }
                }

                await Task.Delay(RetryPause, token);
            }
        }
    }

    public int AcceptedRunCount => _acceptedRuns.Count;

    static ParallelOptions Options(CancellationToken token) => new() { MaxDegreeOfParallelism = InFlight, CancellationToken = token };

    static async Task<bool> ViaBus(IFanoutPatterns patterns, string cid, CancellationToken token)
    {
        try
        {
            await patterns.Fanout.InvokeAsync(Targets, [ChaosNames.FinalCallback], [ChaosNames.TargetCallback], cid, cancellationToken: token);
        }
        catch (FanoutRequestException ex) when (ex.Code == FanoutRejected.CidInUse)
        {
            // An earlier attempt whose answer was lost.
        }
        catch (FanoutRequestException ex)
        {
            throw new RefusedException($"{cid} via bus: {ex.Message}");
        }

        return true;
    }

    static async Task<bool> ViaGateway(HttpClient gateway, string cid, CancellationToken token)
    {
        var body = new { cid, targets = Targets, on_final = new[] { ChaosNames.FinalCallback }, on_target = new[] { ChaosNames.TargetCallback } };
        using var response = await gateway.PostAsJsonAsync("v1/fanouts", body, token);
        return response.StatusCode switch
        {
            HttpStatusCode.Accepted or HttpStatusCode.Conflict => true,
            >= HttpStatusCode.InternalServerError => throw new HttpRequestException($"{(int)response.StatusCode}"),
            _ => throw new RefusedException($"{cid} via gateway: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(token)}"),
        };
    }

    /// <summary>The accepted order's id. A retry after a lost answer may store a second order; only answered ones count.</summary>
    static async Task<string?> SubmitOrder(HttpClient gateway, int index, CancellationToken token)
    {
        using var response = await gateway.PostAsJsonAsync($"v1/orders?fifo={ChaosNames.Fifo}", new { work_ms = 10, n = index }, token);
        if (response.StatusCode >= HttpStatusCode.InternalServerError)
            throw new HttpRequestException($"{(int)response.StatusCode}");
        if (response.StatusCode != HttpStatusCode.Accepted)
            throw new RefusedException($"order {index}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(token)}");
        return (await response.Content.ReadFromJsonAsync<JsonElement>(token)).GetProperty("order_id").GetString();
    }

    sealed class RefusedException(string message) : Exception(message);
}
