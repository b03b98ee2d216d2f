namespace Fanout.Samples.Hosts;

/// <summary>What <c>Fanout.Samples &lt;mode&gt;</c> runs: one host per mode.</summary>
public static class Modes
{
    public static readonly IReadOnlyDictionary<string, Func<string[], Task<int>>> All =
        new Dictionary<string, Func<string[], Task<int>>>
        {
            ["demo"] = DemoHost.RunAsync,
            ["services"] = ServicesHost.RunAsync,
            ["caller"] = CallerHost.RunAsync,
            ["batch"] = BatchHost.RunAsync,
            ["fifo"] = FifoHost.RunAsync,
        };

    public const string Usage = """
        Usage: Fanout.Samples [demo|services|caller|batch|fifo]

          demo      (default) the whole reference scenario in one process: orchestrator, services, callbacks.
                    In memory unless FANOUT_RABBITMQ is set. Prints one JSON line per callback invocation.
          services  hosts the sample services and callbacks until stopped (needs FANOUT_RABBITMQ and a running
                    Fanout.Orchestrator).
          caller    runs the reference scenario against running services and orchestrator, then exits.
          batch     the long-running scenario: POST /orders starts three batch jobs whose partner systems
                    (stand-ins served here) report back through the gateway. Listens on Samples:Batch:Url
                    (default http://127.0.0.1:8090); needs FANOUT_RABBITMQ, an orchestrator and a gateway.
          fifo      the FIFO worker: the order registry plus a worker for each FIFO in Fanout:Fifo:Queues (default
                    "orders"), running the reference handler (sleeps Fanout:Fifo:SampleWorkMs, 1 s, per order).
                    Start it twice for a hot standby; needs FANOUT_RABBITMQ.

        Environment: FANOUT_RABBITMQ=amqp://guest:guest@localhost:5672/  FANOUT_DATABASE=path/to/fanout.db
                     FANOUT_ORDERS_DATABASE=path/to/orders.db
        """;
}
