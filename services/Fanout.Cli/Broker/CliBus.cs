using Fanout.Bus;
using Fanout.Bus.Patterns;
using Fanout.Bus.Waiting;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Fanout.Cli.Broker;

/// <summary>A short-lived bus client on the same topology as the services, optionally following events.</summary>
public sealed class CliBus : IAsyncDisposable
{
    /// <summary>Reported as <c>source</c> of the runs the CLI starts.</summary>
    public const string Source = "cli";

    static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(15);
    readonly IHost _host;

    CliBus(IHost host) => _host = host;

    public IBus Bus => _host.Services.GetRequiredService<IBus>();
    public IFanoutPatterns Patterns => _host.Services.GetRequiredService<IFanoutPatterns>();
    public RunWaiter Waiter => _host.Services.GetRequiredService<RunWaiter>();
    public RunStatusReader Runs => _host.Services.GetRequiredService<RunStatusReader>();

    public static Task<CliBus> ConnectAsync(BrokerAddress broker, CancellationToken cancellationToken) =>
        ConnectAsync(broker, _ => { }, cancellationToken);

    /// <summary>
    /// Connects; <paramref name="follow"/> adds event feeds on a temporary queue bound before this returns.
    /// </summary>
    public static async Task<CliBus> ConnectAsync(BrokerAddress broker, Action<Subscriptions> follow,
        CancellationToken cancellationToken)
    {
        await broker.ProbeAsync(TimeSpan.FromSeconds(5), cancellationToken);
        var builder = new HostApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [FanoutBusSettings.RabbitMqVariable] = broker.Setting,
            ["Fanout:Source"] = Source,
        });
        builder.Logging.ClearProviders();
        var subscriptions = new Subscriptions();
        follow(subscriptions);
        builder.Services.AddFanoutBus(builder.Configuration, bus =>
        {
            if (subscriptions.Any)
                bus.ConfigureEndpoints((_, cfg, _) =>
                    cfg.ReceiveEndpoint(new TemporaryEndpointDefinition("fanout-cli"),
                        DefaultEndpointNameFormatter.Instance, subscriptions.Configure));
        });
        var host = builder.Build();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(ConnectTimeout);
        try
        {
            await host.StartAsync(deadline.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            host.Dispose();
            throw CliException.Unavailable(
                $"RabbitMQ at {broker.Display} did not accept a connection within {ConnectTimeout.TotalSeconds:0} s " +
                "(check the user, password and vhost)");
        }

        return new CliBus(host);
    }

    /// <summary>Sends a request and waits for one of two answers, turning a timeout into one clear line.</summary>
    public async Task<Response<T1, T2>> RequestAsync<TRequest, T1, T2>(TRequest request, string whoAnswers,
        CancellationToken cancellationToken)
        where TRequest : class where T1 : class where T2 : class
    {
        try
        {
            return await Bus.CreateRequestClient<TRequest>(RequestTimeout.After(s: 15))
                .GetResponse<T1, T2>(request, cancellationToken);
        }
        catch (RequestTimeoutException)
        {
            throw CliException.Unavailable($"no answer from {whoAnswers} within 15 s; is it running on this broker?");
        }
    }

    public async Task<T> RequestAsync<TRequest, T>(TRequest request, string whoAnswers,
        CancellationToken cancellationToken)
        where TRequest : class where T : class
    {
        try
        {
            return (await Bus.CreateRequestClient<TRequest>(RequestTimeout.After(s: 15))
                .GetResponse<T>(request, cancellationToken)).Message;
        }
        catch (RequestTimeoutException)
        {
            throw CliException.Unavailable($"no answer from {whoAnswers} within 15 s; is it running on this broker?");
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _host.StopAsync(TimeSpan.FromSeconds(5));
        }
        finally
        {
            _host.Dispose();
        }
    }

    /// <summary>The event types a command follows.</summary>
    public sealed class Subscriptions
    {
        readonly List<Action<IReceiveEndpointConfigurator>> _handlers = [];

        public bool Any => _handlers.Count > 0;

        public EventFeed<T> Follow<T>() where T : class
        {
            var feed = new EventFeed<T>();
            _handlers.Add(e => e.Handler<T>(feed.Accept));
            return feed;
        }

        internal void Configure(IReceiveEndpointConfigurator endpoint)
        {
            // One at a time, so events reach the command in the order the broker holds them.
            endpoint.ConcurrentMessageLimit = 1;
            foreach (var handler in _handlers)
                handler(endpoint);
        }
    }
}
