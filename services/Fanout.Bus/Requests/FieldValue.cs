using System.Text.Json;

namespace Fanout.Bus.Requests;

/// <summary>
/// One field's JSON value, read as the type the field needs. A value of the wrong type adds a problem naming the
/// field and reads as missing, so the rest of the request is still checked.
/// </summary>
internal readonly partial record struct FieldValue(string Name, JsonElement Json, List<RequestProblem> Problems)
{
    public Dictionary<string, JsonElement> Targets()
    {
        var targets = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        if (Json.ValueKind != JsonValueKind.Object)
            return Refused(targets, "an object of service name to request");
        foreach (var target in Json.EnumerateObject())
            if (!targets.TryAdd(target.Name, target.Value.Clone()))
                Problems.Add(new RequestProblem(ProblemCodes.DuplicateName, Name,
                    $"target '{target.Name}' is given twice"));
        return targets;
    }

    public List<string> Names() =>
        Json.ValueKind == JsonValueKind.Array && Json.EnumerateArray().All(n => n.ValueKind == JsonValueKind.String)
            ? Json.EnumerateArray().Select(n => n.GetString()!).ToList()
            : Refused(new List<string>(), "an array of service names");

    public string? Text() =>
        Json.ValueKind == JsonValueKind.String ? Json.GetString() : Refused<string?>(null, "a string");

    public long? WholeNumber() => AsLong(Json) ?? Refused<long?>(null, "a whole number of milliseconds");

    public int? Concurrency() =>
        AsLong(Json) is { } n && n is >= int.MinValue and <= int.MaxValue
            ? (int)n
            : Refused<int?>(null, $"a whole number from 1 to {FanoutRequestValidator.MaxConcurrencyLimit}");

    public DateTime? UtcTime() =>
        Json.ValueKind == JsonValueKind.String && Json.TryGetDateTime(out var time)
            ? time.ToUniversalTime()
            : Refused<DateTime?>(null, "an ISO-8601 time such as 2025-01-31T12:00:00Z");

    public bool? Flag() => Json.ValueKind is JsonValueKind.True or JsonValueKind.False
        ? Json.GetBoolean()
        : Refused<bool?>(null, "true or false");

    /// <summary>A whole number that fits an int (its range is checked by the validator).</summary>
    public int? Number(string expected) =>
        AsLong(Json) is { } n && n is >= int.MinValue and <= int.MaxValue ? (int)n : Refused<int?>(null, expected);

    T Refused<T>(T fallback, string expected)
    {
        Problems.Add(new RequestProblem(ProblemCodes.WrongType, Name,
            $"'{Name}' must be {expected}; got {Describe(Json)}"));
        return fallback;
    }

    /// <summary>
    /// The value as a long when it is a JSON number without a fraction (TryGetInt64 throws on other kinds).
    /// </summary>
    static long? AsLong(JsonElement value) =>
        value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var n) ? n : null;

    /// <summary>
    /// A short description of a JSON value for a message: the value itself when short, else its kind.
    /// </summary>
    internal static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String or JsonValueKind.Number =>
            value.GetRawText() is { Length: <= 40 } raw ? raw : value.ValueKind.ToString().ToLowerInvariant(),
        JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        _ => value.ValueKind.ToString().ToLowerInvariant(),
    };
}
