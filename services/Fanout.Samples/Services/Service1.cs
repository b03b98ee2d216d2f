using Fanout.Bus.Authoring;

namespace Fanout.Samples.Services;

[Service("service1")]
public sealed class Service1 : FanoutService<HelloRequest, HelloReply>
{
    public override Task<HelloReply> HandleAsync(HelloRequest request, ServiceContext context) =>
        Task.FromResult(new HelloReply($"service1 got '{request.Hello}'", context.ServiceName, context.Cid));
}
