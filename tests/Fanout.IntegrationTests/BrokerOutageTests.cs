using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Fanout.IntegrationTests.Support;

namespace Fanout.IntegrationTests;

/// <summary>
/// The broker killed and back after an outage (15 s plus its boot) long enough for MassTransit's own back-off to have grown to
/// 15–30 s: the endpoints of the orchestrator, a service host and a FIFO worker consume again within seconds (they are restarted every
/// Fanout:Reconnect:Interval), and /health/ready says so. Runs on a private node, never on the shared broker.
/// </summary>
public sealed class BrokerOutageTests : IAsyncLifetime
{
    const int Port = 5701;
    static readonly TimeSpan Outage = TimeSpan.FromSeconds(15);
    // Interval (5 s) plus a connection and topology per endpoint on a busy machine; MassTransit's back-off alone
    // would be at one of its 15–30 s waits (±25 %) by now.
    static readonly TimeSpan ReconnectLimit = TimeSpan.FromSeconds(15);

    readonly PrivateBrokerNode _node = new("reconnect", Port);
    readonly TestDirectory _directory = new();

    public Task InitializeAsync() => _node.StartAsync();

    public async Task DisposeAsync()
    {
        await _node.DisposeAsync();
        _directory.Dispose();
    }

    [Fact]
    public async Task Every_endpoint_consumes_again_within_seconds_of_the_brokers_return()
    {
        var orchestratorHealth = $"http://127.0.0.1:{FreePort()}";
        var servicesHealth = $"http://127.0.0.1:{FreePort()}";
        var fifoHealth = $"http://127.0.0.1:{FreePort()}";
        var environment = new Dictionary<string, string>
        {
            ["FANOUT_RABBITMQ"] = _node.Url,
            ["FANOUT_DATABASE"] = _directory.File("fanout.db"),
            ["FANOUT_ORDERS_DATABASE"] = _directory.File("orders.db"),
            ["Logging__LogLevel__Default"] = "Warning",
        };
        using var orchestrator = ServiceProcess.Start("Fanout.Orchestrator", With(environment, orchestratorHealth));
        using var services = ServiceProcess.Start("Fanout.Samples", With(environment, servicesHealth), "services");
        using var fifo = ServiceProcess.Start("Fanout.Samples", With(environment, fifoHealth), "fifo");
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        await Ready(http, orchestratorHealth, orchestrator, TimeSpan.FromSeconds(60));
        await Ready(http, servicesHealth, services, TimeSpan.FromSeconds(60));
        await Ready(http, fifoHealth, fifo, TimeSpan.FromSeconds(60));
        string[] expected = ["fanout.invoke", "fanout.queries", "fanout.orchestrator", "fanout.completions",
            "fanout.results", "sample.echo", "fifo.orders", "fanout.orders"];
        var consuming = (await Eventually.Until(_node.ConsumersAsync, c => expected.All(c.ContainsKey),
            "consumers on the orchestrator's and a service's queues", describe: c => string.Join(", ", c.Keys))).Keys.ToList();

        await _node.KillAsync();
        await Eventually.Until(() => Status(http, orchestratorHealth + "/health/ready"), s => s == HttpStatusCode.ServiceUnavailable,
            "the orchestrator not ready while the broker is gone");
        Assert.Equal(HttpStatusCode.OK, await Status(http, orchestratorHealth + "/health/live"));
        await Task.Delay(Outage); // the outage itself, not a wait for an outcome

        await _node.StartAsync();
        var back = Stopwatch.StartNew();
        var missing = await Eventually.Until(async () =>
            {
                var now = await _node.ConsumersAsync();
                return consuming.Where(q => now.GetValueOrDefault(q) == 0).ToList();
            }, m => m.Count == 0, "a consumer on every queue that had one", ReconnectLimit, m => "none on " + string.Join(", ", m));
        var reconnected = back.Elapsed;
        await Ready(http, orchestratorHealth, orchestrator, ReconnectLimit - reconnected);
        await Ready(http, servicesHealth, services, ReconnectLimit - reconnected);
        await Ready(http, fifoHealth, fifo, ReconnectLimit - reconnected);
        Console.Error.WriteLine($"Broker down {Outage.TotalSeconds:0} s plus its boot; all {consuming.Count} queues consuming " +
                                $"{reconnected.TotalSeconds:0.0} s after it listened, all three hosts ready {back.Elapsed.TotalSeconds:0.0} s after");
    }

    static Dictionary<string, string> With(Dictionary<string, string> environment, string healthUrl) =>
        new(environment) { ["FANOUT_HEALTH_URL"] = healthUrl };

    static async Task Ready(HttpClient http, string healthUrl, ServiceProcess process, TimeSpan timeout) =>
        await Eventually.Until(() => Status(http, healthUrl + "/health/ready"), s => s == HttpStatusCode.OK,
            $"{healthUrl}/health/ready answering 200", timeout > TimeSpan.Zero ? timeout : TimeSpan.FromSeconds(1),
            s => $"{s}; exited={process.HasExited}\n{process.Stderr}");

    static async Task<HttpStatusCode?> Status(HttpClient http, string url)
    {
        try
        {
            using var response = await http.GetAsync(url);
            return response.StatusCode;
        }
        catch (HttpRequestException)
        {
            return null;
        }
        catch (TaskCanceledException)
        {
            return null;
        }
    }

    static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
