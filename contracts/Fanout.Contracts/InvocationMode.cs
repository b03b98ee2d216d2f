namespace Fanout.Contracts;

/// <summary>The two invocation patterns, as they appear in the <c>mode</c> JSON field.</summary>
public static class InvocationMode
{
    public const string Fanout = "fanout";
    public const string Parallel = "parallel";
}
