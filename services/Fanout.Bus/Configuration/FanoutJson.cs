using System.Text.Json;

namespace Fanout.Bus;

/// <summary>How requests and responses of user services are (de)serialized: camelCase, case-insensitive.</summary>
public static class FanoutJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web);

    /// <summary>JSON <c>null</c> as an element (a default <see cref="JsonElement"/> cannot be serialized).</summary>
    public static JsonElement Null { get; } = JsonDocument.Parse("null").RootElement.Clone();

    public static JsonElement? ToElement<T>(T value) =>
        value is null ? null
        : value is JsonElement element ? element
        : JsonSerializer.SerializeToElement(value, Options);
}
