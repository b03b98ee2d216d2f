using Fanout.Contracts;

namespace Fanout.Orchestrator.Runs;

/// <summary>
/// The state names stored in <see cref="FanoutSaga.CurrentState"/> (MassTransit stores the name of the state
/// machine's <c>State</c> property, so these equal FanoutStateMachine's property names) and the public names users
/// see (<see cref="FanoutStates"/>).
/// </summary>
public static class RunStates
{
    public const string Running = nameof(Running);
    public const string Completed = nameof(Completed);
    public const string TimedOut = nameof(TimedOut);
    public const string Cancelled = nameof(Cancelled);

    /// <summary>The public name for a stored one.</summary>
    public static string ToPublic(string currentState) => currentState switch
    {
        Running => FanoutStates.Running,
        Completed => FanoutStates.Completed,
        TimedOut => FanoutStates.TimedOut,
        Cancelled => FanoutStates.Cancelled,
        _ => currentState.ToLowerInvariant(),
    };

    /// <summary>The stored name for a public one, or null when unknown.</summary>
    public static string? ToStored(string publicState) => publicState switch
    {
        FanoutStates.Running => Running,
        FanoutStates.Completed => Completed,
        FanoutStates.TimedOut => TimedOut,
        FanoutStates.Cancelled => Cancelled,
        _ => null,
    };
}
