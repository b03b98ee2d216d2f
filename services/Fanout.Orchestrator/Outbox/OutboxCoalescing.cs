using System.Security.Cryptography;
using System.Text.Json;
using Fanout.Contracts;

namespace Fanout.Orchestrator.Outbox;

/// <summary>One broker message made of one or more outbox rows; it is delivered when all of them are.</summary>
public sealed record OutgoingMessage(
    object Message, Type Type, string? Destination, Guid MessageId, IReadOnlyList<OutboxMessage> Rows);

/// <summary>The messages to send, and the rows that could not be read (they stay in the outbox).</summary>
public sealed record CoalescedRows(
    IReadOnlyList<OutgoingMessage> Messages, IReadOnlyList<(OutboxMessage Row, Exception Error)> Unreadable);

/// <summary>
/// Turns the outbox rows of one delivery into broker messages: the invocations of every run to one service leave as
/// one <see cref="InvokeCallsForRuns"/>, every state change as part of one <see cref="FanoutStateChanges"/> (in the
/// order given: commit order), each under a size cap; callbacks and completions stay one message per row, as users
/// consume them. A message of one row keeps the row's id as MessageId (a lone invocation stays an
/// <see cref="InvokeCalls"/>); a message of several gets an id derived from its rows' ids, so the same rows batched
/// the same way again carry the same id.
/// </summary>
public static class OutboxCoalescing
{
    /// <summary>
    /// Bodies per coalesced message at most, in characters of their stored JSON (a larger row goes alone).
    /// </summary>
    public const int MaxBodyChars = 256 * 1024;

    static readonly string Invocation = OutboxMessageTypes.NameOf(typeof(InvokeCalls));
    static readonly string StateChange = OutboxMessageTypes.NameOf(typeof(FanoutStateChanged));

    /// <summary>State changes first (in the order given), then invocations per service, then the rest.</summary>
    public static CoalescedRows Coalesce(IReadOnlyList<OutboxMessage> all, int callsPerMessage)
    {
        var unreadable = new List<(OutboxMessage, Exception)>();
        var rows = all.Where(row =>
        {
            try
            {
                row.Message ??= JsonSerializer.Deserialize(row.Body, OutboxMessageTypes.Resolve(row.MessageType))
                    ?? throw new InvalidOperationException($"Outbox row {row.Id} has an empty body.");
                return true;
            }
            catch (Exception ex)
            {
                unreadable.Add((row, ex));
                return false;
            }
        }).ToList();
        var outgoing = new List<OutgoingMessage>();
        foreach (var batch in Batches(rows.Where(r => r.MessageType == StateChange), _ => 1, int.MaxValue))
            outgoing.Add(StateChanges(batch));
        foreach (var service in rows.Where(r => r.MessageType == Invocation && r.Destination is not null)
                     .GroupBy(r => r.Destination!))
            foreach (var batch in Batches(service, r => MessageOf<InvokeCalls>(r).Calls.Count, callsPerMessage))
                outgoing.Add(Invocations(service.Key, batch));
        foreach (var row in rows.Where(r => r.MessageType != StateChange
                                            && (r.MessageType != Invocation || r.Destination is null)))
            outgoing.Add(new OutgoingMessage(row.Message!, OutboxMessageTypes.Resolve(row.MessageType),
                row.Destination, row.Id, [row]));

        return new CoalescedRows(outgoing, unreadable);
    }

    static OutgoingMessage StateChanges(IReadOnlyList<OutboxMessage> rows) =>
        new(new FanoutStateChanges { Changes = rows.Select(MessageOf<FanoutStateChanged>).ToList() },
            typeof(FanoutStateChanges), null, IdOf(rows), rows);

    static OutgoingMessage Invocations(string service, IReadOnlyList<OutboxMessage> rows)
    {
        if (rows.Count == 1)
            return new OutgoingMessage(MessageOf<InvokeCalls>(rows[0]), typeof(InvokeCalls), service, rows[0].Id, rows);
        var runs = rows.Select(r => MessageOf<InvokeCalls>(r) with { Id = r.Id }).ToList();
        return new OutgoingMessage(new InvokeCallsForRuns { Service = runs[0].Service, Runs = runs },
            typeof(InvokeCallsForRuns), service, IdOf(rows), rows);
    }

    /// <summary>
    /// Consecutive rows up to <paramref name="limit"/> items and <see cref="MaxBodyChars"/>; a row over either goes
    /// alone.
    /// </summary>
    static IEnumerable<IReadOnlyList<OutboxMessage>> Batches(
        IEnumerable<OutboxMessage> rows, Func<OutboxMessage, int> items, int limit)
    {
        var batch = new List<OutboxMessage>();
        var (count, chars) = (0, 0);
        foreach (var row in rows)
        {
            var n = items(row);
            if (batch.Count > 0 && (count + n > limit || chars + row.Body.Length > MaxBodyChars))
            {
                yield return batch;
                (batch, count, chars) = ([], 0, 0);
            }

            batch.Add(row);
            count += n;
            chars += row.Body.Length;
        }

        if (batch.Count > 0)
            yield return batch;
    }

    static T MessageOf<T>(OutboxMessage row) => (T)row.Message!;

    /// <summary>A row's own id, or for several a name-based id of all of them in order (RFC 9562 version 8).</summary>
    static Guid IdOf(IReadOnlyList<OutboxMessage> rows)
    {
        if (rows.Count == 1)
            return rows[0].Id;
        var ids = new byte[rows.Count * 16];
        for (var i = 0; i < rows.Count; i++)
            rows[i].Id.TryWriteBytes(ids.AsSpan(i * 16, 16), bigEndian: true, out _);
        var hash = SHA256.HashData(ids).AsSpan(0, 16).ToArray();
        hash[6] = (byte)((hash[6] & 0x0F) | 0x80);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash, bigEndian: true);
    }
}
