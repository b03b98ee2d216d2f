namespace Fanout.Benchmarks;

/// <summary>What the system under test stores in (SQLite files, or PostgreSQL on this server) and how many orchestrators it runs.</summary>
public sealed record Deployment(string? Postgres, int Orchestrators)
{
    public string Describe() => Postgres is null ? "SQLite" : $"PostgreSQL, {Orchestrators} orchestrator(s)";
}

/// <summary>Sizes and repetitions of one benchmark run.</summary>
public sealed record BenchProfile
{
    public required string Name { get; init; }
    public required int Repetitions { get; init; }

    /// <summary>
    /// Untimed runs of each scenario before its measured ones: the processes are fresh, and their first runs pay
    /// for compiling (the tiered JIT), which a long-running deployment pays once.
    /// </summary>
    public required int Warmups { get; init; }

    /// <summary>A run of a scenario that takes longer fails (reported, the other scenarios still run).</summary>
    public required TimeSpan ScenarioTimeout { get; init; }

    public int ThroughputFanouts { get; init; } = 200;
    public int ThroughputTargets { get; init; } = 10;
    public required int LatencyWarmups { get; init; }
    public required int LatencyRuns { get; init; }
    public int FifoOrders { get; init; } = 1000;
    public int GatewayClients { get; init; } = 64;
    public required TimeSpan GatewayWindow { get; init; }
    public int CeilingRequesters { get; init; } = 64;
    public required TimeSpan CeilingWindow { get; init; }
    public required IReadOnlyList<int> MapSizes { get; init; }

    public static BenchProfile Full { get; } = new()
    {
        Name = "full",
        Repetitions = 3,
        Warmups = 1,
        ScenarioTimeout = TimeSpan.FromSeconds(120),
        LatencyWarmups = 10,
        LatencyRuns = 100,
        GatewayWindow = TimeSpan.FromSeconds(5),
        CeilingWindow = TimeSpan.FromSeconds(5),
        MapSizes = [1_000, 10_000, 100_000],
    };

    /// <summary>Under two minutes: the same scenario sizes where they are cheap, shorter windows, one repetition.</summary>
    public static BenchProfile Quick { get; } = new()
    {
        Name = "quick",
        Repetitions = 1,
        Warmups = 0,
        ScenarioTimeout = TimeSpan.FromSeconds(25),
        LatencyWarmups = 5,
        LatencyRuns = 30,
        GatewayWindow = TimeSpan.FromSeconds(2),
        CeilingWindow = TimeSpan.FromSeconds(2),
        MapSizes = [1_000, 10_000],
    };
}
