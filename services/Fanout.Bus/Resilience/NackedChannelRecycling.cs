using MassTransit;
using MassTransit.RabbitMqTransport;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Fanout.Bus.Resilience;

/// <summary>
/// Closes a RabbitMQ channel as soon as the broker refuses (<c>basic.nack</c>) a publish on it, so that MassTransit
/// opens a fresh one; MassTransit itself keeps a channel until it is closed, and a nack does not close it.
/// <para>
/// Why: in RabbitMQ before 3.12.5 (Debian's 3.10.8 here, every 3.11), a channel's first publish to a quorum queue asks
/// the node its queue record names as leader for the queue's version; if that node has just died (the record is
/// updated only once a new leader is elected), the publish is refused, and so is every later one on that channel to
/// that queue, for as long as the channel lives or the dead node stays away, whatever the new leader. A fresh channel
/// asks the leader of the moment (rabbit_fifo_client:enqueue/3; fixed upstream by rabbitmq-server #9221 and #9241).
/// </para>
/// Every publish of a process goes out on a receive endpoint's channel (IBus on the bus endpoint's, a consumer's on its
/// endpoint's), which this observer watches (the bus endpoint once <see cref="BusEndpointStart"/> started it).
/// Closing one costs what a lost connection costs: its consumer starts again on the new channel and its unacknowledged
/// deliveries are redelivered. A channel is closed at most once per <paramref name="minimumInterval"/> per endpoint,
/// so a queue that refuses publishes for another reason (unavailable, full with reject-publish) cannot make an
/// endpoint churn.
/// </summary>
sealed class NackedChannelRecycling(ILogger logger, TimeSpan minimumInterval) : IEndpointConfigurationObserver
{
    public void EndpointConfigured<T>(T configurator) where T : IReceiveEndpointConfigurator
    {
        if (configurator is IRabbitMqReceiveEndpointConfigurator rabbit)
            rabbit.ConfigureChannel(p =>
                p.UseFilter(new RecycleOnNack(configurator.InputAddress, logger, minimumInterval)));
    }

    /// <summary>
    /// First in the endpoint's channel pipe: it sees each channel the endpoint opens, for that channel's life.
    /// </summary>
    sealed class RecycleOnNack(Uri endpoint, ILogger logger, TimeSpan minimumInterval) : IFilter<ChannelContext>
    {
        long _lastClosedTicks = long.MinValue / 2;

        public async Task Send(ChannelContext context, IPipe<ChannelContext> next)
        {
            var channel = context.Channel;
            var closing = 0;

            Task OnNack(object sender, BasicNackEventArgs args)
            {
                var now = Environment.TickCount64;
                var last = Interlocked.Read(ref _lastClosedTicks);
                if (now - last < (long)minimumInterval.TotalMilliseconds || Interlocked.Exchange(ref closing, 1) == 1
                    || Interlocked.CompareExchange(ref _lastClosedTicks, now, last) != last)
                    return Task.CompletedTask;
                logger.LogWarning("The broker refused a publish on channel {Channel} of {Endpoint}; " +
                                  "closing the channel so that the next publish goes on a fresh one",
                    channel.ChannelNumber, endpoint);
                // Not awaited here: this handler runs on the connection's reader, which the close has to wait for.
                _ = Task.Run(() => CloseAsync(channel));
                return Task.CompletedTask;
            }

            channel.BasicNacksAsync += OnNack;
            try
            {
                await next.Send(context).ConfigureAwait(false);
            }
            finally
            {
                channel.BasicNacksAsync -= OnNack;
            }
        }

        async Task CloseAsync(IChannel channel)
        {
            try
            {
                await channel.CloseAsync(Constants.ReplySuccess, "a publish was refused; reopening the channel")
                    .ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                // Already closing with its connection: MassTransit opens a fresh one either way.
                logger.LogDebug(ex, "Closing channel {Channel} of {Endpoint} failed", channel.ChannelNumber, endpoint);
            }
        }

        public void Probe(ProbeContext context) => context.CreateFilterScope("recycleNackedChannel");
    }
}

/// <summary>
/// Starts the bus's own endpoint with the host. MassTransit runs that endpoint's channel pipe (and so the filter of
/// <see cref="NackedChannelRecycling"/>) only once something is connected to it, as a request client does; a process
/// that only publishes would otherwise send everything on a channel no filter sees. A pipe for a message type nobody
/// sends, connected without consume topology, binds nothing.
/// </summary>
sealed class BusEndpointStart(IBus bus) : IHostedService
{
    ConnectHandle? _handle;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _handle = bus.ConnectConsumePipe(Pipe.Empty<ConsumeContext<BusEndpointStarted>>(), (ConnectPipeOptions)0);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _handle?.Disconnect();
        return Task.CompletedTask;
    }
}

/// <summary>Never sent: what <see cref="BusEndpointStart"/> connects to the bus endpoint.</summary>
public sealed record BusEndpointStarted;
