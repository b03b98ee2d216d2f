using Fanout.Contracts;
using MassTransit;

namespace Fanout.Gateway.Routes;

/// <summary>Asks the orchestrator over the bus; the gateway holds no state of its own.</summary>
internal sealed class OrchestratorClient(IBus bus, GatewaySettings settings)
{
    RequestTimeout Timeout => RequestTimeout.After(ms: (int)settings.OrchestratorTimeout.TotalMilliseconds);

    public Task<Response<FanoutStatus, FanoutNotFound>> Status(
        GetFanoutStatus query, CancellationToken cancellationToken) =>
        bus.CreateRequestClient<GetFanoutStatus>(Timeout)
            .GetResponse<FanoutStatus, FanoutNotFound>(query, cancellationToken);

    public Task<Response<FanoutList>> List(ListFanouts query, CancellationToken cancellationToken) =>
        bus.CreateRequestClient<ListFanouts>(Timeout).GetResponse<FanoutList>(query, cancellationToken);

    public Task<Response<ServiceList>> Services(CancellationToken cancellationToken) =>
        bus.CreateRequestClient<ListServices>(Timeout).GetResponse<ServiceList>(new ListServices(), cancellationToken);
    public Task<Response<FanoutOverview>> Overview(GetFanoutOverview query, CancellationToken cancellationToken) =>
        bus.CreateRequestClient<GetFanoutOverview>(Timeout).GetResponse<FanoutOverview>(query, cancellationToken);

    public Task<Response<TargetResultOutcome>> Submit(SubmitTargetResult result, CancellationToken cancellationToken) =>
        bus.CreateRequestClient<SubmitTargetResult>(Timeout)
            .GetResponse<TargetResultOutcome>(result, cancellationToken);

    public Task<Response<CancelOutcome>> Cancel(CancelFanout cancel, CancellationToken cancellationToken) =>
        bus.CreateRequestClient<CancelFanout>(Timeout).GetResponse<CancelOutcome>(cancel, cancellationToken);
}
