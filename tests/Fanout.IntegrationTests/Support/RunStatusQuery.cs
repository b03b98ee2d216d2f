using Fanout.Contracts;
using MassTransit;

namespace Fanout.IntegrationTests.Support;

/// <summary>
/// Asks the orchestrator for a run's status; a run it does not know fails the test at once, naming the CID.
/// </summary>
static class RunStatusQuery
{
    public static async Task<FanoutStatus> GetAsync(IBus bus, string cid, int targetsOffset = 0)
    {
        var response = await bus.CreateRequestClient<GetFanoutStatus>(RequestTimeout.After(s: 30))
            .GetResponse<FanoutStatus, FanoutNotFound>(
                new GetFanoutStatus { Cid = cid, TargetsOffset = targetsOffset });
        if (response.Is(out Response<FanoutStatus>? found))
            return found.Message;
        Assert.Fail($"the orchestrator answered that run {cid} does not exist (not found)");
        return null!;
    }
}
