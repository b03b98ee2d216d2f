namespace Fanout.Samples.Batch;

/// <summary>Bound from <c>Samples:Batch</c>: where the sample listens and how long each partner job works.</summary>
public sealed class BatchSettings
{
    public const string Section = "Samples:Batch";

    /// <summary>The order endpoint and the stand-in partner systems.</summary>
    public string Url { get; set; } = "http://127.0.0.1:8090";

    /// <summary>
    /// The one URL every partner posts its results to: the gateway's <c>/v1/results</c>, which must read the handle
    /// from <c>jobId</c> (<c>Fanout:Gateway:ResultHandleField=jobId</c>).
    /// </summary>
    public string ResultsUrl { get; set; } = "http://127.0.0.1:8080/v1/results";

    /// <summary>Deadline of each order's fan-out (the reference: 540,000 ms).</summary>
    public long DeadlineMs { get; set; } = 540_000;

    /// <summary>Work time per job (the reference: 30 s, 20 s, 10 s).</summary>
    public Dictionary<string, int> WaitMs { get; set; } = new()
    {
        ["batchJobA"] = 30_000,
        ["batchJobB"] = 20_000,
        ["batchJobC"] = 10_000,
    };
}
