using System.Text.Json;
using Fanout.Chaos.Parts;
using Fanout.Fifo;
using Fanout.Testing;

namespace Fanout.Chaos.Faults;

/// <summary>
/// A burst of messages no consumer can use, published raw (as any client on the network could) on the orchestrator's
/// intake and saga queues, a service queue and the FIFO registry: not JSON, wrong types, an unknown message type and a
/// 5 MB body. Expected: each ends in the queue's <c>_error</c> queue with the reason in its headers, is logged once,
/// and consumption goes on (the scenario's load still drains). Each carries a <c>chaos-poison</c> header so it can be
/// found again wherever it went.
/// </summary>
public sealed class PoisonFault : IFault
{
    const string Envelope = "application/vnd.masstransit+json";
    const string Marker = "chaos-poison";
    static readonly TimeSpan SettleLimit = TimeSpan.FromSeconds(30);

    /// <summary>Queue → the message type its consumers take (the orchestrator's queues are named in OrchestratorQueues).</summary>
    static readonly (string Queue, string MessageType)[] Doors =
    [
        ("fanout.invoke", "InvokeFanout"),
        ("fanout.orchestrator", "InvokeFanout"),
        (ChaosNames.Target(0), "InvokeCalls"),
        (FifoQueues.Registry, "SubmitOrder"),
    ];

    static IEnumerable<(string Kind, string Body)> Poison(string messageType)
    {
        yield return ("not-json", "{\"cid\": this is not JSON");
        yield return ("wrong-types", Wrap($"urn:message:Fanout.Contracts:{messageType}",
            new { cid = 42, targets = "not-an-object", calls = 7, fifo = new[] { 1 }, service = false }));
        yield return ("unknown-type", Wrap("urn:message:Chaos.Poison:NoSuchMessage", new { cid = "poison" }));
        yield return ("5mb", Wrap($"urn:message:Fanout.Contracts:{messageType}",
            new { cid = "poison-5mb", padding = new string('x', 5 * 1024 * 1024) }));
    }

    static string Wrap(string messageType, object message) =>
        JsonSerializer.Serialize(new { messageId = Guid.NewGuid(), messageType = new[] { messageType }, message });

    readonly List<string> _sent = [];
    Dictionary<string, int> _errorLogLinesBefore = [];

    public string Name => "poison";

    public async Task<string> InjectAsync(ChaosContext context, CancellationToken cancellationToken)
    {
        _sent.Clear();
        _errorLogLinesBefore = ErrorLogLines(context);
        foreach (var (queue, messageType) in Doors)
            foreach (var (kind, body) in Poison(messageType))
            {
                var tag = $"{queue}/{kind}/{Guid.NewGuid():N}";
                await context.Management.PublishRawAsync(queue, body, Envelope, new Dictionary<string, string> { [Marker] = tag },
                    cancellationToken);
                _sent.Add(tag);
            }

        return $"{_sent.Count} poison messages (not JSON, wrong types, unknown type, 5 MB) on each of {string.Join(", ", Doors.Select(d => d.Queue))}";
    }

    /// <summary>Where each poison message went: <c>_error</c> with or without a reason header, <c>_skipped</c>, or nowhere.</summary>
    public async Task<FaultCheck> CheckAsync(ChaosContext context, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, string>();
        // Faulted messages may still be in their endpoint's retries: wait until every one is somewhere, or the limit.
        await Polling.UntilAsync(async () =>
        {
            foreach (var (queue, _) in Doors)
            {
                foreach (var headers in await context.Management.PeekHeadersAsync(queue + "_error", 200, cancellationToken))
                    if (Tag(headers) is { } tag)
                        found[tag] = Reason(headers) is { } reason ? $"_error ({reason})" : "_error without a reason header";
                foreach (var headers in await context.Management.PeekHeadersAsync(queue + "_skipped", 200, cancellationToken))
                    if (Tag(headers) is { } tag)
                        found[tag] = "_skipped";
            }

            return _sent.All(found.ContainsKey);
        }, SettleLimit, TimeSpan.FromSeconds(1), cancellationToken);

        var outcomes = _sent.Select(tag => (Door: string.Join('/', tag.Split('/')[..2]), Where: found.GetValueOrDefault(tag) ?? "nowhere (consumed or dropped)")).ToList();
        var passed = outcomes.All(o => o.Where.StartsWith("_error (", StringComparison.Ordinal));
        var logLines = ErrorLogLines(context).Sum(kv => kv.Value - _errorLogLinesBefore.GetValueOrDefault(kv.Key));
        var note = string.Join("; ", outcomes.Select(o => $"{o.Door} → {o.Where}")) +
                   $"; {logLines} error log lines for {_sent.Count} messages";
        return new FaultCheck(passed, note);
    }

    static string? Tag(JsonElement headers) =>
        headers.ValueKind == JsonValueKind.Object && headers.TryGetProperty(Marker, out var tag) ? tag.GetString() : null;

    static string? Reason(JsonElement headers)
    {
        foreach (var name in new[] { "MT-Fault-Message", "MT-Reason" })
            if (headers.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String)
                return $"{name}: {Shorten(value.GetString()!)}";
        return null;
    }

    static string Shorten(string text) => text.Length <= 100 ? text : text[..100] + "…";

    /// <summary>Error and critical lines (JSON console format) in every log of the run so far, per file.</summary>
    static Dictionary<string, int> ErrorLogLines(ChaosContext context) =>
        Directory.EnumerateFiles(context.Paths.LogDirectory, "*.log").ToDictionary(f => f, f =>
        {
            using var reader = new StreamReader(new FileStream(f, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
            var count = 0;
            while (reader.ReadLine() is { } line)
                if (line.Contains("\"LogLevel\":\"Error\"", StringComparison.Ordinal) || line.Contains("\"LogLevel\":\"Critical\"", StringComparison.Ordinal))
                    count++;
            return count;
        });
}
