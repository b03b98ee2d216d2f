using System.Text.Json;
using Fanout.Bus.Authoring;
using Fanout.Contracts;

namespace Fanout.Chaos.Parts;

/// <summary>A target that answers at once: what is under test is the machinery around it.</summary>
public sealed class NoopTarget : FanoutService<JsonElement, object?>
{
    public override Task<object?> HandleAsync(JsonElement request, ServiceContext context) => Task.FromResult<object?>(null);
}

/// <summary>The final callback: writes that it ran to the ledger.</summary>
public sealed class LedgerFinalCallback(LedgerWriter ledger) : FinalCallback
{
    protected override Task OnFinalAsync(FinalPayload payload, ServiceContext context)
    {
        ledger.Write(LedgerLine.FinalRun(context.Cid));
        return Task.CompletedTask;
    }
}

/// <summary>The per-target callback: writes that it ran, for which target, to the ledger.</summary>
public sealed class LedgerTargetCallback(LedgerWriter ledger) : TargetCallback
{
    protected override Task OnTargetAsync(TargetResultPayload payload, ServiceContext context)
    {
        ledger.Write(LedgerLine.TargetRun(context.Cid, payload.Target));
        return Task.CompletedTask;
    }
}
