using Fanout.Bus.Poison;
using MassTransit;

namespace Fanout.Orchestrator.Consumers;

/// <summary>
/// Prefetch, concurrency and retry of the endpoints results arrive on (completions and result batches): enough
/// prefetch to fill two saga writes of <c>CompletionBatchSize</c> at once.
/// </summary>
static class ResultEndpoint
{
    public static void Configure(IReceiveEndpointConfigurator endpoint, OrchestratorSettings settings)
    {
        endpoint.PrefetchCount = settings.CompletionBatchSize * 3;
        endpoint.ConcurrentMessageLimit = settings.CompletionBatchSize * 2;
        endpoint.UseMessageRetry(r => r.Intervals(100, 500, 2000).IgnorePoison());
    }
}
