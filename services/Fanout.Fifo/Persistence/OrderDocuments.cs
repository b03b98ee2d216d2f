using System.Text.Json;
using Fanout.Contracts;

namespace Fanout.Fifo.Persistence;

internal static class OrderDocuments
{
    public static OrderDocument From(OrderRecord r) =>
        From(r, JsonDocument.Parse(r.ParametersJson).RootElement.Clone());

    /// <summary>With the parameters already parsed (they never change after submission).</summary>
    public static OrderDocument From(OrderRecord r, JsonElement parameters) => new()
    {
        OrderId = r.OrderId,
        Fifo = r.Fifo,
        Sequence = r.Sequence,
        Status = r.Status,
        Parameters = parameters,
        SubmittedAtUtc = r.SubmittedAtUtc,
        StartedAtUtc = r.StartedAtUtc,
        FinishedAtUtc = r.FinishedAtUtc,
        Attempts = r.Attempts,
        Worker = r.Worker,
        Reason = r.Reason,
        FencingToken = r.FencingToken,
    };
}
