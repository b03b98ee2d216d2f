using MassTransit;

namespace Fanout.Benchmarks.Client;

/// <summary>The smallest MassTransit request→reply: the machine's ceiling for one message each way.</summary>
public sealed record CeilingPing(int Sequence);

public sealed record CeilingPong(int Sequence);

public sealed class CeilingResponder : IConsumer<CeilingPing>
{
    public Task Consume(ConsumeContext<CeilingPing> context) => context.RespondAsync(new CeilingPong(context.Message.Sequence));
}
