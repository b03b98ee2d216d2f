using Fanout.Bus.Patterns;

namespace Fanout.Bus.Authoring;

/// <summary>What a handler knows about the call it is serving.</summary>
public sealed class ServiceContext
{
    /// <summary>The name of the service being invoked.</summary>
    public required string ServiceName { get; init; }

    /// <summary>The correlation id of the fan-out or parallel execution.</summary>
    public required string Cid { get; init; }

    /// <summary>The service that started the fan-out or parallel execution.</summary>
    public required string Source { get; init; }

    /// <summary>One of <see cref="Fanout.Contracts.Channels"/>.</summary>
    public required string Channel { get; init; }

    /// <summary>When the orchestrator issued the request (UTC).</summary>
    public DateTime RequestedAtUtc { get; init; }

    /// <summary>Start fan-outs and parallel executions with this service as their source.</summary>
    public required IFanoutPatterns Patterns { get; init; }

    public CancellationToken CancellationToken { get; init; }
}
