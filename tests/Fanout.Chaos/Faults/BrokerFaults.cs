namespace Fanout.Chaos.Faults;

/// <summary>RabbitMQ's application stopped for a few seconds and started again (connections drop, queues stay).</summary>
public sealed class BrokerRestartFault : IFault
{
    static readonly TimeSpan Down = TimeSpan.FromSeconds(3);

    public string Name => "broker-restart";

    public async Task<string> InjectAsync(ChaosContext context, CancellationToken cancellationToken)
    {
        await context.Node.StopAppAsync(cancellationToken);
        await Task.Delay(Down, cancellationToken);
        await context.Node.StartAppAsync(cancellationToken);
        return $"stop_app, {Down.TotalSeconds:0} s, start_app";
    }
}

/// <summary>The broker's VM killed (SIGKILL, no clean shutdown), down for <paramref name="down"/>, then booted again.</summary>
public sealed class BrokerKillFault(string name, TimeSpan down) : IFault
{
    public string Name => name;

    public async Task<string> InjectAsync(ChaosContext context, CancellationToken cancellationToken)
    {
        await context.Node.KillAsync(cancellationToken);
        await Task.Delay(down, cancellationToken);
        await context.Node.StartAsync(cancellationToken);
        return $"SIGKILL broker, down {down.TotalSeconds:0} s, booted again";
    }
}
