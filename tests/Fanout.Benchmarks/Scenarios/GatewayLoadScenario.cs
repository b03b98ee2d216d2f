using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using Fanout.Benchmarks.Client;
using Fanout.Benchmarks.Measuring;

namespace Fanout.Benchmarks.Scenarios;

/// <summary>
/// <c>gateway_fanouts</c> / <c>gateway_orders</c>: concurrent HTTP clients POSTing to the gateway for a fixed window,
/// counting 202s per second; anything else is an error, counted and the first one shown.
/// </summary>
public sealed class GatewayLoadScenario : IScenario
{
    readonly string _path;
    readonly string _body;
    readonly bool _awaitFinals;

    GatewayLoadScenario(string name, string path, string body, bool awaitFinals)
    {
        Name = name;
        _path = path;
        _body = body;
        _awaitFinals = awaitFinals;
    }

    public string Name { get; }

    /// <summary>
    /// One-target fan-outs. Their final callbacks are awaited after the window (untimed), so every accepted run is
    /// known to have finished and none is left to load the next scenario.
    /// </summary>
    public static GatewayLoadScenario Fanouts() => new("gateway_fanouts", "/v1/fanouts",
        $$"""{"targets": {"{{BenchServices.Target(0)}}": {} }, "on_final": ["{{BenchServices.FinalCallback}}"]}""", awaitFinals: true);

    /// <summary>
    /// Order intake: orders go to a FIFO no worker serves, so this measures accepting and storing them, not the
    /// worker processing them at the same time (that is <c>fifo_1000</c>).
    /// </summary>
    public static GatewayLoadScenario Orders() => new("gateway_orders", "/v1/orders?fifo=bench-intake", """{"work_ms": 0}""", awaitFinals: false);

    public async Task<ScenarioRun> RunOnceAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var clients = context.Profile.GatewayClients;
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = clients })
        {
            BaseAddress = new Uri(context.System.GatewayUrl),
            Timeout = TimeSpan.FromSeconds(60),
        };
        var cids = new ConcurrentBag<string>();
        var errors = new ConcurrentQueue<string>();
        // Untimed warm-up, one request per client: connections opened, the gateway's request clients set up.
        var warmedUp = (await Task.WhenAll(Enumerable.Range(0, clients)
            .Select(_ => PostAsync(http, cids, errors, cancellationToken)))).Count(accepted => accepted);
        errors.Clear();

        var accepted = 0;
        var start = Clock.Now;
        var stopAt = Clock.After(start, context.Profile.GatewayWindow);
        await Task.WhenAll(Enumerable.Range(0, clients).Select(async _ =>
        {
            while (Clock.Now < stopAt)
                if (await PostAsync(http, cids, errors, cancellationToken))
                    Interlocked.Increment(ref accepted);
        }));
        var elapsed = Clock.Seconds(start, Clock.Now);
        if (!errors.IsEmpty)
            BenchContext.Progress($"{Name}: {errors.Count} requests not accepted; first: {errors.First()}");
        if (_awaitFinals)
            await context.Client.Observed.Finals.WaitAllAsync(cids.ToArray(), cancellationToken);

        // Every accepted request is a run (or an order) in the cost window, those of the warm-up too.
        var metrics = new Dictionary<string, double>
        {
            ["requests_per_s"] = accepted / elapsed,
            ["errors"] = errors.Count,
        };
        return _awaitFinals
            ? new ScenarioRun(metrics) { Runs = cids.Count, Targets = cids.Count }
            : new ScenarioRun(metrics) { Orders = warmedUp + accepted };
    }

    async Task<bool> PostAsync(HttpClient http, ConcurrentBag<string> cids, ConcurrentQueue<string> errors, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await http.PostAsync(_path, new StringContent(_body, Encoding.UTF8, "application/json"), cancellationToken);
            if (response.StatusCode != HttpStatusCode.Accepted)
            {
                var detail = await response.Content.ReadAsStringAsync(cancellationToken);
                errors.Enqueue($"{(int)response.StatusCode} {detail[..Math.Min(detail.Length, 300)]}");
                return false;
            }

            if (_awaitFinals)
            {
                using var body = JsonDocument.Parse(await response.Content.ReadAsStreamAsync(cancellationToken));
                cids.Add(body.RootElement.GetProperty("cid").GetString()!);
            }

            return true;
        }
        catch (Exception ex) when (ex is HttpRequestException || (ex is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            // A refused connection or the client's own timeout: an error of the gateway, not the end of the run.
            errors.Enqueue(ex.Message);
            return false;
        }
    }
}
