namespace Fanout.Contracts;

/// <summary>How a service was invoked; every handler sees one of these in its context.</summary>
public static class Channels
{
    /// <summary>A target of a fan-out.</summary>
    public const string FanoutCall = "FANOUT_CALL";

    /// <summary>A target of a parallel execution.</summary>
    public const string ParallelExecCall = "PARALLEL_EXEC_CALL";

    /// <summary>A per-target callback of a parallel execution.</summary>
    public const string ParallelExecOnTarget = "PARALLEL_EXEC_ON_TARGET";

    /// <summary>A per-target callback of a fan-out.</summary>
    public const string FanoutOnTarget = "FANOUT_ON_TARGET";

    /// <summary>A final callback of a fan-out, after all targets finished.</summary>
    public const string FanoutOnFinal = "FANOUT_ON_FINAL";
}
