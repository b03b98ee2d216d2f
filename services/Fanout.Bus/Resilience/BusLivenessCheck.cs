using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Fanout.Bus.Resilience;

/// <summary>
/// The <c>live</c> health check: unhealthy once the process is stuck (see <see cref="EndpointWatch.Liveness"/>).
/// </summary>
sealed class BusLivenessCheck(EndpointWatch watch, TimeProvider time) : IHealthCheck
{
    public const string Name = "endpoints-live";

    public Task<HealthCheckResult> CheckHealthAsync(
        HealthCheckContext context,
        CancellationToken cancellationToken = default) =>
        Task.FromResult(watch.Liveness(time.GetUtcNow().UtcDateTime));
}
