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

    /// <summary>The configuration key of <see cref="AllowRemoteWithoutKey"/>, named in the log and the 403.</summary>
    public const string AllowRemoteWithoutKeyKey = Section + ":" + nameof(AllowRemoteWithoutKey);

    /// <summary>Without an API key the gateway answers loopback clients only, unless this is true.</summary>
    public bool AllowRemoteWithoutKey { get; set; }

    /// <summary>
    /// When set, every request but result posts (which carry a completion token or handle) and /health must send it in
    /// X-Api-Key.
    /// </summary>
    public string? ApiKey { get; set; }

    /// <summary>The configuration key of <see cref="MaxRequestBodyBytes"/>, named in the 413 answer.</summary>
    public const string MaxRequestBodyBytesKey = Section + ":" + nameof(MaxRequestBodyBytes);

    /// <summary>Largest accepted request body: 32 MiB holds a run of ~100,000 small calls.</summary>
    public long MaxRequestBodyBytes { get; set; } = 32L * 1024 * 1024;

    /// <summary>
    /// Longest <c>wait_ms</c> of <c>GET /v1/fanouts/{cid}</c>; proxies commonly cut idle requests after 2 minutes.
    /// </summary>
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

    /// <summary>
    /// Refuse runs naming a service or callback no live host serves (400 <c>unknown_service</c>) unless the request
    /// says <c>"require_live_services": false</c>; otherwise they start with a warning.
    /// </summary>
    public bool RequireLiveServices { get; set; }

    /// <summary>
    /// RabbitMQ's management API, for the queue depths and consumers of <c>GET /v1/queues</c>; by default the broker's
    /// first node on port 15672, with the broker URL's user and password.
    /// </summary>
    public string? ManagementUrl { get; set; }

    /// <summary>Events <c>GET /v1/events</c> keeps for resuming streams (Last-Event-ID), newest first.</summary>
    public int EventBufferSize { get; set; } = 20_000;

    /// <summary>Least time between two <c>progressed</c> events of one run on the stream.</summary>
    public TimeSpan EventProgressInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Most finished targets one throttled <c>progressed</c> event carries (the newest).</summary>
    public int EventMaxFinishedTargets { get; set; } = 100;

    /// <summary>
    /// How long a stream waits after an event arrives before it sends, so a burst goes out together: fewer wake-ups
    /// and writes per stream, at most this much later.
    /// </summary>
    public TimeSpan EventBatchWindow { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Silence after which a stream sends a <c>keep-alive</c> event, so proxies keep it open.</summary>
    public TimeSpan EventKeepAliveInterval { get; set; } = TimeSpan.FromSeconds(15);
}
