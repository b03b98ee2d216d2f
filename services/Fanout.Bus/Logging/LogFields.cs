using System.Collections;
using System.Reflection;

namespace Fanout.Bus.Logging;

/// <summary>
/// The identifiers put on every log line written while a message is handled: cid, target, callback, order_id, fifo.
/// A log scope: the JSON format writes them as properties, the text format as "cid=… target=…".
/// </summary>
public sealed class LogFields : IReadOnlyList<KeyValuePair<string, object?>>
{
    readonly List<KeyValuePair<string, object?>> _fields;

    public LogFields(IEnumerable<KeyValuePair<string, object?>> fields) => _fields = fields.ToList();

    public static LogFields Of(params (string Name, string? Value)[] fields) =>
        new(fields.Where(f => !string.IsNullOrEmpty(f.Value))
            .Select(f => new KeyValuePair<string, object?>(f.Name, f.Value)));

    public int Count => _fields.Count;
    public KeyValuePair<string, object?> this[int index] => _fields[index];
    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => _fields.GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => string.Join(' ', _fields.Select(f => $"{f.Key}={f.Value}"));

    /// <summary>
    /// The fields a message carries, read by property name (its payload's when the message wraps one).
    /// </summary>
    public static LogFields From(object message) =>
        new(Read(message, depth: 0).DistinctBy(f => f.Key).OrderBy(f => Order.IndexOf(f.Key)));

    static IEnumerable<KeyValuePair<string, object?>> Read(object message, int depth)
    {
        foreach (var (name, property) in FieldProperties(message.GetType()))
            if (property.GetValue(message) is string { Length: > 0 } value)
                yield return new(name, value);
        // TargetCallbackRequested carries cid and target inside its payload.
        if (depth == 0 && message.GetType().GetProperty("Payload")?.GetValue(message) is { } payload
            && payload.GetType().IsClass)
            foreach (var field in Read(payload, depth + 1))
                yield return field;
    }

    static readonly Dictionary<string, string> Names = new()
    {
        ["Cid"] = "cid", ["Target"] = "target", ["Callback"] = "callback", ["OrderId"] = "order_id", ["Fifo"] = "fifo",
    };

    static readonly List<string> Order = ["cid", "target", "callback", "order_id", "fifo"];

    static readonly System.Collections.Concurrent.ConcurrentDictionary<Type, (string, PropertyInfo)[]> Cache = new();

    static (string Name, PropertyInfo Property)[] FieldProperties(Type type) => Cache.GetOrAdd(type, t =>
        t.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.PropertyType == typeof(string) && p.GetIndexParameters().Length == 0
                && Names.ContainsKey(p.Name))
            .Select(p => (Names[p.Name], p))
            .ToArray());
}
