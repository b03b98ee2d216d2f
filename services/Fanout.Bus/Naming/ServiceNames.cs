using System.Text.RegularExpressions;

namespace Fanout.Bus.Naming;

/// <summary>
/// Service names double as RabbitMQ queue names and topic routing keys, so they are restricted to
/// characters that mean nothing special to either: letters, digits, '.', '-', '_'.
/// </summary>
public static partial class ServiceNames
{
    public const int MaxLength = 128;

    /// <summary>Queues the bus itself uses; user services may not take names under it.</summary>
    public const string ReservedPrefix = "fanout.";

    /// <summary>
    /// RabbitMQ refuses to declare queues and exchanges under it (ACCESS_REFUSED, the channel closed), so a run
    /// naming one could never be invoked.
    /// </summary>
    public const string BrokerReservedPrefix = "amq.";

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]*$")]
    private static partial Regex Pattern();

    /// <summary>Null when <paramref name="name"/> is a valid service name, else why not.</summary>
    public static string? Problem(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
            return "a service name is empty";
        if (name.Length > MaxLength)
            return $"service name '{name[..20]}...' is {name.Length} characters long; the limit is {MaxLength}";
        if (!Pattern().IsMatch(name))
            return $"service name '{name}' is invalid: " +
                "use letters, digits, '.', '-' and '_', starting with a letter or digit";
        if (name.StartsWith(ReservedPrefix, StringComparison.OrdinalIgnoreCase))
            return $"service name '{name}' is invalid: names starting with '{ReservedPrefix}' are reserved for the bus";
        if (name.StartsWith(BrokerReservedPrefix, StringComparison.OrdinalIgnoreCase))
            return $"service name '{name}' is invalid: names starting with '{BrokerReservedPrefix}' are reserved by " +
                "RabbitMQ";
        return null;
    }

    public static bool IsValid(string? name) => Problem(name) is null;
}
