using System.CommandLine;

namespace Fanout.Benchmarks;

/// <summary>
/// The command line of <c>make bench</c>: <c>--help</c> lists every option, and an unknown option or a value that
/// does not parse is refused (exit code 1) instead of being ignored (a typo must not measure something else).
/// </summary>
public static class BenchCommandLine
{
    static readonly Option<bool> Quick = new("--quick")
    {
        Description = "Every scenario once, smaller, without map_100000",
    };

    static readonly Option<string[]> Only = new("--only")
    {
        Description = "Run just these scenarios (comma-separated names)",
        HelpName = "a,b",
        CustomParser = r => r.Tokens.SelectMany(t => t.Value.Split(',', StringSplitOptions.RemoveEmptyEntries))
            .ToArray(),
    };

    static readonly Option<string?> Postgres = new("--postgres")
    {
        Description = "Store runs and orders in fresh databases on this PostgreSQL server (Npgsql connection " +
                      "string without a database) instead of SQLite files",
        HelpName = "server",
    };

    static readonly Option<int> Orchestrators = new("--orchestrators")
    {
        Description = "Orchestrator processes on the one database (more than one needs --postgres)",
        DefaultValueFactory = _ => 1,
    };

    static readonly Option<int> EventStreams = new("--event-streams")
    {
        Description = "Keep this many GET /v1/events streams open on the gateway through every scenario",
        DefaultValueFactory = _ => 0,
    };

    static readonly Option<int?> Warmups = new("--warmups")
    {
        Description = "Untimed runs of each scenario before the measured ones, to measure warm processes " +
                      "(default 1, 0 with --quick)",
        HelpName = "n",
    };

    static readonly Option<bool> MessageBreakdown = new("--message-breakdown")
    {
        Description = "After the table, print the broker messages per run by the exchange they were published to",
    };

    /// <summary>Parses <paramref name="args"/> and runs the benchmark, or prints help or the errors.</summary>
    public static Task<int> InvokeAsync(string[] args)
    {
        var root = new RootCommand(
            "The end-to-end benchmark: starts the orchestrator, gateway and FIFO worker as processes on the broker " +
            "in $FANOUT_RABBITMQ, runs each scenario (3 times unless --quick) and writes a table and JSON.")
        {
            Quick, Only, Postgres, Orchestrators, EventStreams, Warmups, MessageBreakdown,
        };
        root.SetAction(async parse =>
        {
            var deployment = new Deployment(parse.GetValue(Postgres), parse.GetValue(Orchestrators));
            if (deployment.Orchestrators < 1 || (deployment.Orchestrators > 1 && deployment.Postgres is null))
            {
                await Console.Error.WriteLineAsync("bench: --orchestrators N needs N >= 1, and more than one needs " +
                                                   "--postgres (one SQLite file has one writer)");
                return 2;
            }

            if (parse.GetValue(EventStreams) < 0)
            {
                await Console.Error.WriteLineAsync("bench: --event-streams N needs N >= 0");
                return 2;
            }

            if (parse.GetValue(Warmups) < 0)
            {
                await Console.Error.WriteLineAsync("bench: --warmups N needs N >= 0");
                return 2;
            }

            var profile = parse.GetValue(Quick) ? BenchProfile.Quick : BenchProfile.Full;
            if (parse.GetValue(Warmups) is { } warmups)
                profile = profile with { Warmups = warmups };
            return await BenchRun.RunAsync(profile,
                parse.GetValue(Only) is [_, ..] only ? only : null, deployment, parse.GetValue(EventStreams),
                parse.GetValue(MessageBreakdown));
        });
        return root.Parse(args).InvokeAsync();
    }
}
