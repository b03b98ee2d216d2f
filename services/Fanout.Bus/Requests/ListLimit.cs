namespace Fanout.Bus.Requests;

/// <summary>How many runs or orders one list query may ask for: the gateway, the CLI and the stores apply it.</summary>
public static class ListLimit
{
    public const int Min = 1;
    public const int Max = 500;

    /// <summary>Null when <paramref name="limit"/> (called <paramref name="name"/>) is allowed, else why not.</summary>
    public static string? Problem(int? limit, string name = "limit") =>
        limit is < Min or > Max ? $"{name} must be between {Min} and {Max}; got {limit}" : null;

    /// <summary>The limit a store applies, whatever a message asked for.</summary>
    public static int Clamp(int limit) => Math.Clamp(limit, Min, Max);
}
