using System.Text.Json;
using Fanout.Bus.Authoring;

namespace Fanout.Benchmarks.Client;

/// <summary>A target that does nothing: what is measured is the machinery around it.</summary>
public sealed class NoopTarget : FanoutService<JsonElement, object?>
{
    public override Task<object?> HandleAsync(JsonElement request, ServiceContext context) => Task.FromResult<object?>(null);
}
