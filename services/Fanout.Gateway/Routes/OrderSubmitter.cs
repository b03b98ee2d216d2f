using System.Threading.Channels;
using Fanout.Contracts;
using MassTransit;

namespace Fanout.Gateway.Routes;

/// <summary>
/// Carries the submissions of concurrent <c>POST /v1/orders</c> to the FIFO registry together: what arrives while
/// <see cref="MaxInFlight"/> requests are out leaves as one <see cref="SubmitOrders"/>, so under load one bus round
/// trip (and one registry transaction) serves many orders, while a lone submission leaves at once. Each caller gets
/// its own order back, or the request's failure (a timeout becomes the route's 503).
/// </summary>
internal sealed class OrderSubmitter(IBus bus, GatewaySettings settings) : BackgroundService
{
    /// <summary>Bus requests out at once; more submissions wait and go together.</summary>
    const int MaxInFlight = 4;

    /// <summary>Most submissions in one request.</summary>
    const int MaxBatch = 100;

    /// <summary>
    /// Most parameter bytes in one request (a larger order goes alone), well under RabbitMQ's message size limit.
    /// </summary>
    const int MaxBatchBytes = 1024 * 1024;

    readonly Channel<Pending> _waiting =
        Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    readonly SemaphoreSlim _slots = new(MaxInFlight, MaxInFlight);

    public async Task<OrderDocument> SubmitAsync(OrderSubmission submission, CancellationToken cancellationToken)
    {
        var pending = new Pending(submission, submission.Parameters?.GetRawText().Length ?? 0,
            new TaskCompletionSource<OrderDocument>(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_waiting.Writer.TryWrite(pending))
            throw new InvalidOperationException("The gateway is stopping.");
        return await pending.Answer.Task.WaitAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (await _waiting.Reader.WaitToReadAsync(stoppingToken))
            {
                await _slots.WaitAsync(stoppingToken);
                var batch = new List<Pending>();
                var bytes = 0L;
                while (batch.Count < MaxBatch && _waiting.Reader.TryPeek(out var next)
                       && (batch.Count == 0 || bytes + next.Bytes <= MaxBatchBytes)
                       && _waiting.Reader.TryRead(out next))
                {
                    batch.Add(next);
                    bytes += next.Bytes;
                }

                _ = SendAsync(batch, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            _waiting.Writer.TryComplete();
            while (_waiting.Reader.TryRead(out var pending))
                pending.Answer.TrySetCanceled(stoppingToken);
        }
    }

    async Task SendAsync(List<Pending> batch, CancellationToken stoppingToken)
    {
        try
        {
            var timeout = RequestTimeout.After(ms: (int)settings.OrchestratorTimeout.TotalMilliseconds);
            var response = await bus.CreateRequestClient<SubmitOrders>(timeout)
                .GetResponse<OrdersAccepted>(
                    new SubmitOrders { Orders = batch.Select(p => p.Submission).ToList() }, stoppingToken);
            for (var i = 0; i < batch.Count; i++)
                batch[i].Answer.TrySetResult(response.Message.Orders[i]);
        }
        catch (Exception ex)
        {
            foreach (var pending in batch)
                pending.Answer.TrySetException(ex);
        }
        finally
        {
            _slots.Release();
        }
    }

    sealed record Pending(OrderSubmission Submission, int Bytes, TaskCompletionSource<OrderDocument> Answer);
}
