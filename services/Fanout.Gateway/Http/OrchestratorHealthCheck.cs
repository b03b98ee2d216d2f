using Fanout.Contracts;
using MassTransit;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Fanout.Gateway.Http;

/// <summary>Healthy when the orchestrator answers a query, which needs the bus and its database.</summary>
internal sealed class OrchestratorHealthCheck(IBus bus) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(
        HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await bus.CreateRequestClient<ListFanouts>(RequestTimeout.After(s: 5))
                .GetResponse<FanoutList>(new ListFanouts { Limit = 1 }, cancellationToken);
            return HealthCheckResult.Healthy("the orchestrator answered a query from its database");
        }
        catch (Exception ex)
        {
            return HealthCheckResult.Unhealthy("the orchestrator (and so its database) did not answer within 5 s", ex);
        }
    }
}
