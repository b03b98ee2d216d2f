namespace Fanout.Gateway;

/// <summary>Bound from <c>Fanout:Gateway</c>; the API key also comes from <c>FANOUT_API_KEY</c>.</summary>
public sealed class GatewaySettings
{
    public const string Section = "Fanout:Gateway";
    public const string ApiKeyVariable = "FANOUT_API_KEY";
    public const string ApiKeyHeader = "X-Api-Key";
    public const string TokenHeader = "X-Completion-Token";

    /// <summary>Where the gateway listens.</summary>
    public string Url { get; set; } = "http://127.0.0.1:8080";

    /// <summary>
    /// When set, every request but result posts (which carry a completion token or handle) and /health must send it in
    /// X-Api-Key.
    /// </summary>
    public string? ApiKey { get; set; }

    /// <summary>The configuration key of <see cref="MaxRequestBodyBytes"/>, named in the 413 answer.</summary>
    public const string MaxRequestBodyBytesKey = Section + ":" + nameof(MaxRequestBodyBytes);

    /// <summary>Largest accepted request body: 32 MiB holds a run of ~100,000 small calls.</summary>
    public long MaxRequestBodyBytes { get; set; } = 32L * 1024 * 1024;

    /// <summary>Longest <c>wait_ms</c> of <c>GET /v1/fanouts/{cid}</c>; proxies commonly cut idle requests after 2 minutes.</summary>
    public int MaxWaitMs { get; set; } = 120_000;

    /// <summary>
    /// The field of a <c>POST /v1/results</c> body that holds the target's completion handle: what the partner echoes
    /// back as its job id (<c>jobId</c> for a Qmonus-style partner).
    /// </summary>
    public string ResultHandleField { get; set; } = "job_id";

    public const string ResultHandleFieldKey = Section + ":" + nameof(ResultHandleField);

    /// <summary>
    /// The boolean field of a <c>POST /v1/results</c> body that says whether the job succeeded; none by default, and
    /// a body without it counts as ok.
    /// </summary>
    public string? ResultOkField { get; set; }

    /// <summary>How long to wait for the orchestrator's answer.</summary>
    public TimeSpan OrchestratorTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Worker threads the pool keeps ready. A burst of first requests (50 at once on a cold gateway) blocks threads
    /// inside the bus client's one-time setup; with the default (one per core) every request then waited ~10 s while
    /// the pool grew by a thread or two a second.
    /// </summary>
    public int MinThreads { get; set; } = 64;
}
