using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Fanout.Samples.Callbacks;

/// <summary>Writes each callback invocation as one JSON line on stdout: callback name, channel, payload.</summary>
public sealed class CallbackPrinter
{
    static readonly JsonSerializerOptions Output = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    readonly Lock _lock = new();
    int _printed;

    public int Printed => Volatile.Read(ref _printed);

    public void Print<T>(string callback, string channel, T payload)
    {
        var line = new JsonObject
        {
            ["callback"] = callback,
            ["channel"] = channel,
            ["payload"] = JsonSerializer.SerializeToNode(payload),
        }.ToJsonString(Output);
        lock (_lock)
        {
            Console.Out.WriteLine(line);
            Console.Out.Flush();
            _printed++;
        }
    }
}
