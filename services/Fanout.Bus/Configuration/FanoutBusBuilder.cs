using Fanout.Bus.Authoring;
using Fanout.Bus.Hosting;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace Fanout.Bus;

/// <summary>
/// Collects what a host runs: user services, and extra consumers or endpoints (the orchestrator adds its own).
/// </summary>
public sealed class FanoutBusBuilder(IServiceCollection services)
{
    /// <summary>The host's services, for parts that register more than bus consumers.</summary>
    public IServiceCollection Services { get; } = services;

    internal List<ServiceRegistration> Registered { get; } = [];
    internal List<Action<IBusRegistrationConfigurator>> Registrations { get; } = [];
    internal List<Action<IBusRegistrationContext, IBusFactoryConfigurator, FanoutTopology>> Endpoints { get; } = [];

    /// <summary>
    /// Runs <typeparamref name="TService"/> on the queue named after it (its [Service] name unless given).
    /// </summary>
    public FanoutBusBuilder AddService<TService>(string? name = null) where TService : class, IFanoutService
    {
        var registration = ServiceRegistration.For<TService>(name);
        if (Registered.Any(s => s.Name == registration.Name))
            throw new InvalidOperationException($"Two services are registered under the name '{registration.Name}'.");
        Registered.Add(registration);
        return this;
    }

    /// <summary>
    /// Adds an unnamed subscriber that receives every callback message (<c>TargetCallbackRequested</c> and
    /// <c>FinalCallbackRequested</c>) on a queue of its own, for audit or monitoring; it is never invoked as a
    /// callback.
    /// </summary>
    public FanoutBusBuilder AddCallbackObserver<TConsumer>(string queueName) where TConsumer : class, IConsumer
    {
        Register(x => x.AddConsumer<TConsumer>());
        return ConfigureEndpoints((context, cfg, topology) => cfg.ReceiveEndpoint(queueName, e =>
        {
            topology.BindCallbacks(e, FanoutTopology.AllCallbacks);
            e.ConfigureConsumer<TConsumer>(context);
        }));
    }

    /// <summary>Adds MassTransit registrations (consumers, sagas) to the bus.</summary>
    public FanoutBusBuilder Register(Action<IBusRegistrationConfigurator> register)
    {
        Registrations.Add(register);
        return this;
    }

    /// <summary>Adds receive endpoints once the transport is known.</summary>
    public FanoutBusBuilder ConfigureEndpoints(
        Action<IBusRegistrationContext, IBusFactoryConfigurator, FanoutTopology> configure)
    {
        Endpoints.Add(configure);
        return this;
    }
}
