using Fanout.Bus.Authoring;

namespace Fanout.Samples.Services;

/// <summary>
/// A target that always throws: its callbacks still run, with <c>ok=false</c> and the exception text.
/// </summary>
[Service("sample.failing")]
public sealed class FailingService : FanoutService<HelloRequest, HelloReply>
{
    public override Task<HelloReply> HandleAsync(HelloRequest request, ServiceContext context) =>
        throw new InvalidOperationException($"sample.failing refuses '{request.Hello}' on purpose");
}
