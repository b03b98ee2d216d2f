using Fanout.Bus.Authoring;

namespace Fanout.Samples.Services;

public sealed record CallerRequest(string? Run);

public sealed record CallerReply(IReadOnlyList<string> Cids);

/// <summary>
/// The reference caller: from inside a service it runs a parallel execution and a fan-out, each once with a
/// CID of its own choosing and once with a generated one.
/// </summary>
[Service("sample.caller")]
public sealed class CallerService : FanoutService<CallerRequest, CallerReply>
{
    public override async Task<CallerReply> HandleAsync(CallerRequest request, ServiceContext context)
    {
        var run = request.Run ?? context.Cid;
        var patterns = context.Patterns;
        var cids = new List<string>
        {
            await patterns.Parallel.InvokeAsync(
                new Dictionary<string, object?>
                {
                    ["service1"] = new HelloRequest("from-parallel1"),
                    ["service2"] = new HelloRequest("from-parallel2"),
                },
                callbacks: ["my.target.callback1", "my.target.callback2"],
                cancellationToken: context.CancellationToken),

            await patterns.Parallel.InvokeAsync(
                new Dictionary<string, object?> { ["service1"] = new HelloRequest("from-parallel-with-cid") },
                callbacks: ["my.target.callback1"],
                cid: $"parallel-{run}",
                cancellationToken: context.CancellationToken),

            await patterns.Fanout.InvokeAsync(
                new Dictionary<string, object?>
                {
                    ["service1"] = new HelloRequest("from-fan-out1"),
                    ["service2"] = new HelloRequest("from-fan-out2"),
                },
                finalCallbacks: ["my.callback1", "my.callback2"],
                cancellationToken: context.CancellationToken),

            await patterns.Fanout.InvokeAsync(
                new Dictionary<string, object?>
                {
                    ["service1"] = new HelloRequest("from-fan-out-with-cid"),
                    ["sample.failing"] = new HelloRequest("from-fan-out-with-cid"),
                    ["sample.echo"] = new { hello = "from-fan-out-with-cid" },
                },
                finalCallbacks: ["my.callback1", "sample.echo"],
                targetCallbacks: ["my.target.callback1", "my.target.callback2"],
                cid: $"fanout-{run}",
                cancellationToken: context.CancellationToken),
        };
        return new CallerReply(cids);
    }
}
