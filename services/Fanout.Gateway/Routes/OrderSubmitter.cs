using Fanout.Bus.Coalescing;
using Fanout.Contracts;
using MassTransit;

namespace Fanout.Gateway.Routes;

/// <summary>
/// Carries the submissions of concurrent <c>POST /v1/orders</c> to the FIFO registry together: what arrives while
/// <see cref="MaxInFlight"/> requests are out leaves as one <see cref="SubmitOrders"/>, so under load one bus round
/// trip (and one registry transaction) serves many orders, while a lone submission leaves at once. Each caller gets
/// its own order back, or the request's failure (a timeout becomes the route's 503).
/// </summary>
internal sealed class OrderSubmitter(IBus bus, GatewaySettings settings)
    : CoalescingSubmitter<OrderSubmission, OrderDocument, SubmitOrders, OrdersAccepted>(
        bus, settings.OrchestratorTimeout, MaxInFlight, MaxBatch, MaxBatchBytes)
{
    /// <summary>Bus requests out at once; more submissions wait and go together.</summary>
    const int MaxInFlight = 4;

    /// <summary>Most submissions in one request.</summary>
    const int MaxBatch = 100;

    /// <summary>
    /// Most parameter bytes in one request (a larger order goes alone), well under RabbitMQ's message size limit.
    /// </summary>
    const long MaxBatchBytes = 1024 * 1024;

    public Task<OrderDocument> SubmitAsync(OrderSubmission submission, CancellationToken cancellationToken) =>
        SubmitAsync(submission, submission.Parameters?.GetRawText().Length ?? 0, cancellationToken);

    protected override SubmitOrders Request(IReadOnlyList<OrderSubmission> batch) => new() { Orders = batch };

    protected override IReadOnlyList<OrderDocument> Answers(OrdersAccepted response) => response.Orders;
}
