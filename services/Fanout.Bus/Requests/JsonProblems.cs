using System.Text.Json;

namespace Fanout.Bus.Requests;

/// <summary>Says where JSON is broken in words a person can act on, without System.Text.Json's internal path.</summary>
public static class JsonProblems
{
    /// <summary>For example "not valid JSON at line 1, position 14: Expected depth to be zero ...".</summary>
    public static string Describe(JsonException exception)
    {
        var where = exception.LineNumber is { } line
            ? $" at line {line + 1}, position {exception.BytePositionInLine + 1}"
            : "";
        return $"not valid JSON{where}: {exception.Message.Split(" Path:")[0].Split(" LineNumber:")[0]}";
    }
}
