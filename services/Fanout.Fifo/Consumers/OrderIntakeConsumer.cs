using Fanout.Contracts;
using MassTransit;

namespace Fanout.Fifo.Consumers;

/// <summary>
/// Single submissions (the CLI's, any bus client's): each waits in <see cref="PendingSubmissions"/>, which stores what
/// arrived together as one <see cref="OrderIntake"/>; the delivery is acknowledged once its order is stored, announced,
/// answered and queued.
/// </summary>
public sealed class OrderIntakeConsumer(PendingSubmissions pending) : IConsumer<SubmitOrder>
{
    public Task Consume(ConsumeContext<SubmitOrder> context) => pending.StoreAsync(context);
}
