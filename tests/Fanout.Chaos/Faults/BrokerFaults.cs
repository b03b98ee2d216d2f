namespace Fanout.Chaos.Faults;

/// <summary>RabbitMQ's application stopped for a few seconds and started again (connections drop, queues stay).</summary>
public sealed class BrokerRestartFault : IFault
{
    static readonly TimeSpan Down = TimeSpan.FromSeconds(3);

    public string Name => "broker-restart";

    public async Task<string> InjectAsync(ChaosContext context, CancellationToken cancellationToken)
    {
        await context.Broker.StopAppAsync(cancellationToken);
        await Task.Delay(Down, cancellationToken);
        await context.Broker.StartAppAsync(cancellationToken);
        return $"stop_app, {Down.TotalSeconds:0} s, start_app";
    }
}

/// <summary>The broker's VM killed (SIGKILL, no clean shutdown), down for <paramref name="down"/>, then booted again.</summary>
public sealed class BrokerKillFault(string name, TimeSpan down) : IFault
{
    public string Name => name;

    public async Task<string> InjectAsync(ChaosContext context, CancellationToken cancellationToken)
    {
        await context.Broker.KillAsync(cancellationToken);
        await Task.Delay(down, cancellationToken);
        await context.Broker.StartAsync(cancellationToken);
        return $"SIGKILL broker, down {down.TotalSeconds:0} s, booted again";
    }
}
