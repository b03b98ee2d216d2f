using System.Text.Json;
using Fanout.Bus.Requests;

namespace Fanout.Cli.Input;

/// <summary>JSON from the command line or a file, with errors that say where.</summary>
public static class JsonInput
{
    public static JsonElement Parse(string text, string what)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            throw CliException.Usage($"{what}: {JsonProblems.Describe(ex)}");
        }
    }

    public static JsonElement ReadFile(string path)
    {
        string text;
        try
        {
            text = path == "-" ? Console.In.ReadToEnd() : File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw CliException.Usage($"--file: cannot read '{path}': {ex.Message}");
        }

        return Parse(text, $"--file {path}");
    }
}
