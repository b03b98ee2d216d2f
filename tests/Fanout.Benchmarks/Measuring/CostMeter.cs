using Fanout.Benchmarks.Broker;
using Fanout.Benchmarks.Processes;

namespace Fanout.Benchmarks.Measuring;

/// <summary>
/// What a scenario's window cost: broker publishes in the benchmark's virtual host and the orchestrators' CPU time.
/// The broker's counters lag by up to its statistics interval, so each reading is taken that long after the system
/// went quiet; a window's publishes therefore include what its runs still sent after their final callback.
/// </summary>
public sealed class CostMeter(VirtualHost vhost, Func<IReadOnlyList<int>> orchestratorPids)
{
    /// <summary>RabbitMQ's default <c>collect_statistics_interval</c> (5 s), plus a margin.</summary>
    static readonly TimeSpan StatisticsLag = TimeSpan.FromSeconds(6);

    // The closing reading of the previous window, valid as the next opening one while nothing ran in between.
    PublishCounts? _quiet;

    public async Task<Window> OpenAsync(CancellationToken cancellationToken)
    {
        var publishes = _quiet ?? await QuietReadingAsync(cancellationToken);
        _quiet = null;
        return new Window(publishes, OrchestratorCpuMs());
    }

    public async Task<WindowCost> CloseAsync(Window window, CancellationToken cancellationToken)
    {
        var cpuMs = OrchestratorCpuMs() - window.OrchestratorCpuMs;
        var publishes = await QuietReadingAsync(cancellationToken);
        _quiet = publishes;
        return new WindowCost(publishes.Since(window.Publishes), cpuMs);
    }

    /// <summary>
    /// Something ran outside a window (a warm-up) or a window did not finish: its traffic may still be going, so the
    /// next window reads afresh.
    /// </summary>
    public void Unmetered() => _quiet = null;

    async Task<PublishCounts> QuietReadingAsync(CancellationToken cancellationToken)
    {
        await Task.Delay(StatisticsLag, cancellationToken);
        return await vhost.ReadPublishesAsync(cancellationToken);
    }

    double OrchestratorCpuMs() => orchestratorPids().Sum(CpuTime.Ms);

    public sealed record Window(PublishCounts Publishes, double OrchestratorCpuMs);
}

/// <summary>Broker publishes (total and per exchange) and orchestrator CPU milliseconds of one window.</summary>
public sealed record WindowCost(PublishCounts Publishes, double OrchestratorCpuMs);
