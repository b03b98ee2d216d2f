using System.Text.Json;
using Fanout.Bus.Naming;

namespace Fanout.Cli.Input;

/// <summary>
/// What <c>fanout invoke</c>/<c>parallel</c> send, from <c>--target name=JSON</c> options and/or a request file
/// shaped like the gateway's body (<c>targets</c>, <c>on_final</c>, <c>on_target</c>/<c>callbacks</c>, <c>cid</c>,
/// <c>deadline_ms</c>, <c>max_concurrency</c>). Options given on the command line win over the file.
/// </summary>
public sealed class RunRequest
{
    public Dictionary<string, object?> Targets { get; } = new(StringComparer.Ordinal);
    public List<string> Callbacks { get; } = [];
    public List<string> FinalCallbacks { get; } = [];
    public string? Cid { get; set; }
    public long? DeadlineMs { get; set; }
    public int? MaxConcurrency { get; set; }

    public void AddTarget(string option)
    {
        var equals = option.IndexOf('=');
        var name = equals < 0 ? option : option[..equals];
        var json = equals < 0 ? "null" : option[(equals + 1)..];
        RequireName(name, "--target");
        if (Targets.ContainsKey(name))
            throw CliException.Usage($"--target: '{name}' is given twice");
        Targets[name] = JsonInput.Parse(json, $"--target {name}");
    }

    public void AddFile(JsonElement file, bool parallel)
    {
        if (file.ValueKind != JsonValueKind.Object)
            throw CliException.Usage("--file: the request must be a JSON object with \"targets\"");
        if (file.TryGetProperty("targets", out var targets))
        {
            if (targets.ValueKind != JsonValueKind.Object)
                throw CliException.Usage("--file: \"targets\" must be an object of name: request");
            foreach (var target in targets.EnumerateObject())
            {
                RequireName(target.Name, "--file targets");
                Targets.TryAdd(target.Name, target.Value.Clone());
            }
        }

        AddNames(file, "on_final", FinalCallbacks);
        AddNames(file, parallel ? "callbacks" : "on_target", Callbacks);
        if (file.TryGetProperty("cid", out var cid) && cid.ValueKind == JsonValueKind.String)
            Cid ??= cid.GetString();
        if (file.TryGetProperty("deadline_ms", out var deadline) && deadline.TryGetInt64(out var ms))
            DeadlineMs ??= ms;
        if (file.TryGetProperty("max_concurrency", out var max) && max.TryGetInt32(out var n))
            MaxConcurrency ??= n;
    }

    public void AddCallbacks(IEnumerable<string>? names, List<string> into, string option)
    {
        foreach (var name in names ?? [])
        {
            RequireName(name, option);
            if (!into.Contains(name))
                into.Add(name);
        }
    }

    /// <summary>Checks what the orchestrator would refuse, so the user hears it before anything is sent.</summary>
    public void Validate(bool parallel)
    {
        if (Targets.Count == 0)
            throw CliException.Usage("no targets: give --target name='{\"json\":1}' (repeatable) or --file request.json");
        if (!parallel && FinalCallbacks.Count == 0)
            throw CliException.Usage("a fan-out needs at least one final callback: --on-final name");
        if (parallel && Callbacks.Count == 0)
            throw CliException.Usage("a parallel execution needs at least one callback: --callback name");
        if (MaxConcurrency is < 1)
            throw CliException.Usage("--max-concurrency must be at least 1");
    }

    static void AddNames(JsonElement file, string property, List<string> into)
    {
        if (!file.TryGetProperty(property, out var names))
            return;
        if (names.ValueKind != JsonValueKind.Array || names.EnumerateArray().Any(n => n.ValueKind != JsonValueKind.String))
            throw CliException.Usage($"--file: \"{property}\" must be an array of names");
        foreach (var name in names.EnumerateArray().Select(n => n.GetString()!))
        {
            RequireName(name, $"--file {property}");
            if (!into.Contains(name))
                into.Add(name);
        }
    }

    public static void RequireName(string name, string where)
    {
        if (ServiceNames.Problem(name) is { } problem)
            throw CliException.Usage($"{where}: {problem}");
    }
}
