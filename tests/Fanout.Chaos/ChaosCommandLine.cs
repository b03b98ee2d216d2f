using System.CommandLine;

namespace Fanout.Chaos;

/// <summary>
/// The command line of <c>make chaos</c>: <c>--help</c> lists every option, and an unknown option or a value that
/// does not parse is refused (exit code 1) instead of being ignored (a typo must not start a different run).
/// </summary>
public static class ChaosCommandLine
{
    static readonly Option<bool> Quick = new("--quick")
    {
        Description = "Three scenarios (orchestrator kill, broker restart, poison) and a smaller load: what CI runs",
    };

    static readonly Option<bool> Long = new("--long") { Description = "Add the broker outage scenario" };

    static readonly Option<string[]> Only = new("--only")
    {
        Description = "Run just these scenarios (comma-separated names)",
        HelpName = "a,b",
        CustomParser = r => r.Tokens.SelectMany(t => t.Value.Split(',', StringSplitOptions.RemoveEmptyEntries))
            .ToArray(),
    };

    static readonly Option<int?> Seed = new("--seed") { Description = "Seed of the random choices (default: random)" };

    static readonly Option<int> Port = new("--port")
    {
        Description = "AMQP port of the private broker node the run starts; its UI is on port + 10000",
        DefaultValueFactory = _ => new ChaosOptions().BrokerPort,
    };

    static readonly Option<int?> OutageSeconds = new("--outage-s")
    {
        Description = "How long the broker stays down in the outage scenario (default 150)",
    };

    static readonly Option<string?> Postgres = new("--postgres")
    {
        Description = "Store in fresh databases on this PostgreSQL server (Npgsql connection string, no database)",
        HelpName = "server",
    };

    static readonly Option<int> Orchestrators = new("--orchestrators")
    {
        Description = "Orchestrator processes on the one database (more than one needs --postgres)",
        DefaultValueFactory = _ => 1,
    };

    static readonly Option<int[]> Cluster = new("--cluster")
    {
        Description = "Run on a private cluster of these nodes with quorum queues, with the cluster's scenarios",
        HelpName = "port,port,port",
        CustomParser = r => r.Tokens.SelectMany(t => t.Value.Split(',', StringSplitOptions.RemoveEmptyEntries))
            .Select(port => int.TryParse(port, out var number) && number is > 0 and < 65536
                ? number
                : throw new FormatException($"'{port}' is not a port"))
            .ToArray(),
    };

    /// <summary>Parses <paramref name="args"/> and runs <paramref name="run"/>, or prints help or the errors.</summary>
    public static Task<int> InvokeAsync(string[] args, Func<ChaosOptions, Task<int>> run)
    {
        var root = new RootCommand(
            "Faults under load: runs the system as separate processes on a private RabbitMQ node, injects one fault " +
            "per scenario and counts what was lost, duplicated or not recovered.")
        {
            Quick, Long, Only, Seed, Port, OutageSeconds, Postgres, Orchestrators, Cluster,
        };
        root.SetAction(parse =>
        {
            var options = ChaosOptions.For(parse.GetValue(Quick));
            return run((options with
            {
                Long = parse.GetValue(Long),
                Only = parse.GetValue(Only) is [_, ..] only ? only : null,
                Seed = parse.GetValue(Seed) ?? options.Seed,
                BrokerPort = parse.GetValue(Port),
                OutageLength = parse.GetValue(OutageSeconds) is { } outage
                    ? TimeSpan.FromSeconds(outage)
                    : options.OutageLength,
                Postgres = parse.GetValue(Postgres),
                Orchestrators = parse.GetValue(Orchestrators),
                // An option with its own parser reads as empty, not null, when it is not given.
                ClusterPorts = parse.GetValue(Cluster) is [_, ..] ports ? ports : null,
            }).ForCluster());
        });
        return root.Parse(args).InvokeAsync();
    }
}
