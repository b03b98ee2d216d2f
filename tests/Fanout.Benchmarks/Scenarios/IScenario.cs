namespace Fanout.Benchmarks.Scenarios;

/// <summary>One benchmark scenario; the runner repeats it and reports the median and range of each metric.</summary>
public interface IScenario
{
    /// <summary>Its key in the table and in results.json.</summary>
    string Name { get; }

    /// <summary>
    /// One measured run: metric name (results.json key) to value, and the work it submitted. Throws when the run
    /// did not finish.
    /// </summary>
    Task<ScenarioRun> RunOnceAsync(BenchContext context, CancellationToken cancellationToken);
}
