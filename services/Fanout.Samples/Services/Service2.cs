using Fanout.Bus.Authoring;

namespace Fanout.Samples.Services;

[Service("service2")]
public sealed class Service2 : FanoutService<HelloRequest, HelloReply>
{
    public override async Task<HelloReply> HandleAsync(HelloRequest request, ServiceContext context)
    {
        await Task.Delay(50, context.CancellationToken);
        return new HelloReply($"service2 got '{request.Hello}'", context.ServiceName, context.Cid);
    }
}
