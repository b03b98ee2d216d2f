using System.Text.Json;
using Fanout.Bus.Requests;
using Fanout.Contracts;

namespace Fanout.Cli.Input;

/// <summary>
/// <c>--map SERVICE --requests FILE</c>: one call per line, each line one JSON request (blank lines skipped). Keys are
/// the default <c>&lt;service&gt;#&lt;index&gt;</c>, or a field of each request with <c>--key-field</c>.
/// </summary>
public static class RequestLines
{
    public static List<Call> Read(string service, string path, string? keyField)
    {
        try
        {
            using var reader = path == "-" ? Console.In : new StreamReader(path);
            return Read(service, reader, path, keyField);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw CliException.Usage($"--requests: cannot read '{path}': {ex.Message}");
        }
    }

    public static List<Call> Read(string service, TextReader reader, string path, string? keyField)
    {
        var calls = new List<Call>();
        var number = 0;
        while (reader.ReadLine() is { } line)
        {
            number++;
            if (string.IsNullOrWhiteSpace(line))
                continue;
            JsonElement request;
            try
            {
                using var document = JsonDocument.Parse(line);
                request = document.RootElement.Clone();
            }
            catch (JsonException ex)
            {
                throw CliException.Usage($"--requests {path}: line {number}: " +
                    $"{JsonProblems.Describe(ex).Replace(" at line 1,", " at")}");
            }

            calls.Add(new Call
            {
                Service = service,
                Request = request,
                Key = keyField is null ? null : KeyOf(request, keyField, path, number)
            });
        }

        if (calls.Count == 0)
            throw CliException.Usage($"--requests {path}: no requests (one JSON value per line)");
        return calls;
    }

    /// <summary>A string or number field of the request, as the call's key.</summary>
    static string KeyOf(JsonElement request, string field, string path, int number) =>
        request.ValueKind == JsonValueKind.Object && request.TryGetProperty(field, out var value)
            && value.ValueKind is JsonValueKind.String or JsonValueKind.Number
            ? value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText()
            : throw CliException.Usage($"--key-field: line {number} of {path} has no string or number field '{field}'");
}
