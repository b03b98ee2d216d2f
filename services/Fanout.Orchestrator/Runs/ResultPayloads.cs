using System.Text.Json;
using Fanout.Contracts;

namespace Fanout.Orchestrator.Runs;

/// <summary>Builds callback payloads from stored rows.</summary>
internal static class ResultPayloads
{
    /// <summary>
    /// <c>service</c> is set in runs with calls; runs of plain targets keep the reference payload keys. A row without a
    /// response time gets <paramref name="now"/>.
    /// </summary>
    public static TargetResultPayload From(FanoutSaga saga, TargetResult row, DateTime now) => new()
    {
        Source = saga.Source,
        Target = row.Target,
        Service = saga.HasCalls ? row.Service : null,
        Response = row.ResponseJson is null ? null : JsonDocument.Parse(row.ResponseJson).RootElement.Clone(),
        RequestedAtUtc = saga.RequestedAtUtc,
        RespondedAtUtc = row.RespondedAtUtc ?? now,
        Ok = row.Ok,
        Exception = row.Exception,
        Cid = saga.Cid,
    };
}
