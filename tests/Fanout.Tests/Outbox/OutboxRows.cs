using System.Text.Json;
using Fanout.Contracts;
using Fanout.Orchestrator.Outbox;
using MassTransit;

namespace Fanout.Tests.Outbox;

/// <summary>Outbox rows as the saga's activities store them, for tests that hand rows to the outbox directly.</summary>
internal static class OutboxRows
{
    public static OutboxMessage Invocation(string cid, string service = "t.ok", int calls = 1) => Row(cid, service,
        new InvokeCalls
        {
            Cid = cid, Source = "tests", Service = service, Channel = Channels.FanoutCall,
            RequestedAtUtc = DateTime.UtcNow,
            Calls = Enumerable.Range(0, calls).Select(i => new CallInvocation
            {
                Key = $"{service}#{i}", Request = JsonSerializer.SerializeToElement(new { i }),
            }).ToList(),
        });

    public static OutboxMessage StateChange(string cid, string change) => Row(cid, null, new FanoutStateChanged
    {
        Change = change,
        Run = new FanoutSummary
        {
            Cid = cid, Mode = "fanout", State = FanoutStates.Running, Source = "tests", OnTarget = [],
            OnFinal = ["cb.final1"], FinalCallbacks = "pending",
        },
        Finished = [],
        ChangedAtUtc = DateTime.UtcNow,
    });

    public static OutboxMessage FinalCallback(string cid, string callback = "cb.final1") => Row(cid, null,
        new FinalCallbackRequested
        {
            Callback = callback, Cid = cid,
            Payload = new FinalPayload
            {
                Source = "tests", RequestedAtUtc = DateTime.UtcNow, OnTarget = [], OnFinal = [callback],
                Data = new Dictionary<string, TargetResultPayload>(),
            },
        });

    /// <summary>As read back from the database: the body only.</summary>
    public static OutboxMessage Stored(OutboxMessage row) => new()
    {
        Id = row.Id, Cid = row.Cid, Destination = row.Destination, MessageType = row.MessageType, Body = row.Body,
        CreatedAtUtc = row.CreatedAtUtc,
    };

    static OutboxMessage Row<T>(string cid, string? destination, T message) where T : class => new()
    {
        Id = NewId.NextGuid(),
        Cid = cid,
        Destination = destination,
        MessageType = typeof(T).Name,
        Body = JsonSerializer.Serialize(message),
        CreatedAtUtc = DateTime.UtcNow,
    };
}
