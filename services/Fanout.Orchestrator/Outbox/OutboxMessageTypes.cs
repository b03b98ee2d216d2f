using Fanout.Contracts;

namespace Fanout.Orchestrator.Outbox;

/// <summary>The message types the outbox may hold; a stored name resolves only to one of these.</summary>
internal static class OutboxMessageTypes
{
    static readonly Dictionary<string, Type> Types = new[]
    {
        typeof(InvokeCalls), typeof(TargetCallbackRequested), typeof(FinalCallbackRequested), typeof(FanoutCompleted),
        typeof(FanoutStateChanged),
    }.ToDictionary(t => t.Name);

    public static string NameOf(Type type) =>
        Types.ContainsKey(type.Name)
            ? type.Name
            : throw new ArgumentException($"{type.Name} is not an outbox message type.");

    public static Type Resolve(string name) =>
        Types.TryGetValue(name, out var type)
            ? type
            : throw new InvalidOperationException($"Unknown outbox message type '{name}'.");
}
