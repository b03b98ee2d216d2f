using Fanout.Bus.Poison;
using MassTransit;

namespace Fanout.Bus;

/// <summary>
/// Declares every durable RabbitMQ receive endpoint of a host as a quorum queue. An observer runs after each
/// endpoint's own configuration, so service queues, the orchestrator's queues and FIFO queues (single active consumer
/// included, supported by quorum queues since RabbitMQ 3.10) all pass through here. MassTransit copies the queue
/// arguments to an endpoint's <c>_error</c> and <c>_skipped</c> queues, so those are quorum queues too.
/// </summary>
sealed class QuorumQueues : IEndpointConfigurationObserver
{
    public void EndpointConfigured<T>(T configurator) where T : IReceiveEndpointConfigurator
    {
        // A quorum queue can be neither exclusive nor auto-deleted: the bus's reply queue and other temporary
        // endpoints, which vanish with their process, stay classic.
        if (configurator is not IRabbitMqReceiveEndpointConfigurator rabbit
            || PoisonMessages.IsTemporary(configurator.InputAddress))
            return;
        // No replication factor: RabbitMQ's default (all cluster nodes, or its configured initial group size).
        rabbit.SetQuorumQueue();
    }
}
