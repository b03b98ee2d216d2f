namespace Fanout.Contracts;

/// <summary>The states a run can be in, as reported by status queries and the gateway.</summary>
public static class FanoutStates
{
    public const string Running = "running";
    public const string Completed = "completed";
    public const string TimedOut = "timed_out";
    public const string Cancelled = "cancelled";

    public static readonly IReadOnlyList<string> All = [Running, Completed, TimedOut, Cancelled];
}

/// <summary>The states of one target.</summary>
public static class TargetStates
{
    /// <summary>Waiting for a slot (<c>max_concurrency</c>).</summary>
    public const string Pending = "pending";
    public const string Processing = "processing";
    public const string Completed = "completed";
    public const string TimedOut = "timed_out";
    public const string Cancelled = "cancelled";
}
