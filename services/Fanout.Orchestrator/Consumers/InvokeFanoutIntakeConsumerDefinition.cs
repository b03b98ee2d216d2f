using MassTransit;

namespace Fanout.Orchestrator.Consumers;

/// <summary>
/// The plain-JSON intake (<see cref="OrchestratorQueues.Intake"/>): any body is read as <c>InvokeFanout</c>, and the
/// queue is bound to no exchange, so only messages sent to it directly arrive.
/// </summary>
public sealed class InvokeFanoutIntakeConsumerDefinition : ConsumerDefinition<InvokeFanoutIntakeConsumer>
{
    public InvokeFanoutIntakeConsumerDefinition() => EndpointName = OrchestratorQueues.Intake;

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpoint,
        IConsumerConfigurator<InvokeFanoutIntakeConsumer> consumer, IRegistrationContext context)
    {
        endpoint.ConfigureConsumeTopology = false;
        endpoint.UseRawJsonDeserializer(RawSerializerOptions.AnyMessageType, isDefault: true);
    }
}
