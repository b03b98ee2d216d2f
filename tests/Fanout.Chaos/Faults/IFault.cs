namespace Fanout.Chaos.Faults;

/// <summary>One fault a scenario injects under load.</summary>
public interface IFault
{
    string Name { get; }

    /// <summary>Injects the fault and returns once it is over (the killed process restarted, the broker back, the lock
    /// released); the text says what was done, for the table.</summary>
    Task<string> InjectAsync(ChaosContext context, CancellationToken cancellationToken);

    /// <summary>What this fault in particular must leave behind, checked after the load drained.</summary>
    Task<FaultCheck> CheckAsync(ChaosContext context, CancellationToken cancellationToken) => Task.FromResult(FaultCheck.None);
}

public sealed record FaultCheck(bool Passed, string Note)
{
    public static readonly FaultCheck None = new(true, "");
}
