namespace Fanout.Bus.Resilience;

/// <summary>
/// Health check tags: <c>/health/live</c> runs the <see cref="Live"/> checks, <c>/health/ready</c> the
/// <see cref="Ready"/> ones.
/// </summary>
public static class HealthTags
{
    public const string Live = "live";

    /// <summary>The tag MassTransit gives its bus health check: every receive endpoint consuming.</summary>
    public const string Ready = "ready";
}
