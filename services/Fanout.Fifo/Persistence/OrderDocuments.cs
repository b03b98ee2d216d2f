using System.Text.Json;
using Fanout.Contracts;

namespace Fanout.Fifo.Persistence;

internal static class OrderDocuments
{
    public static OrderDocument From(OrderRecord r) => new()
    {
        OrderId = r.OrderId,
        Fifo = r.Fifo,
        Sequence = r.Sequence,
        Status = r.Status,
        Parameters = JsonDocument.Parse(r.ParametersJson).RootElement.Clone(),
        SubmittedAtUtc = r.SubmittedAtUtc,
        StartedAtUtc = r.StartedAtUtc,
        FinishedAtUtc = r.FinishedAtUtc,
        Attempts = r.Attempts,
        Worker = r.Worker,
        Reason = r.Reason,
    };
}
