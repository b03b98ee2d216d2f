using System.Text.Json;
using Fanout.Contracts;

namespace Fanout.Orchestrator.Runs;

/// <summary>Builds callback payloads from stored rows.</summary>
internal static class ResultPayloads
{
    public static TargetResultPayload From(FanoutSaga saga, TargetResult row) => new()
    {
        Source = saga.Source,
        Target = row.Target,
        Response = row.ResponseJson is null ? null : JsonDocument.Parse(row.ResponseJson).RootElement.Clone(),
        RequestedAtUtc = saga.RequestedAtUtc,
        RespondedAtUtc = row.RespondedAtUtc ?? DateTime.UtcNow,
        Ok = row.Ok,
        Exception = row.Exception,
        Cid = saga.Cid,
    };
}
