using Fanout.Benchmarks.Measuring;
using Fanout.Bus.Authoring;
using Fanout.Contracts;

namespace Fanout.Benchmarks.Client;

/// <summary>
/// Records when each run's final callback arrived. A run is complete when this arrives, whether the results came
/// inline (<c>data</c>) or by reference (<c>data_ref</c>, for big runs).
/// </summary>
public sealed class CountingFinalCallback(Observed observed) : FinalCallback
{
    protected override Task OnFinalAsync(FinalPayload payload, ServiceContext context)
    {
        observed.Finals.Record(context.Cid);
        return Task.CompletedTask;
    }
}
