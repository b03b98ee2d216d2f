using System.Text.Json;
using System.Text.Json.Serialization;

namespace Fanout.Contracts;

/// <summary>Order states: <c>standby → processing → done</c>, or <c>discarded</c>.</summary>
public static class OrderStates
{
    public const string Standby = "standby";
    public const string Processing = "processing";
    public const string Done = "done";
    public const string Discarded = "discarded";

    public static readonly IReadOnlyList<string> All = [Standby, Processing, Done, Discarded];
}

/// <summary>Accepts an order for a FIFO; answered at once with its <see cref="OrderDocument"/>.</summary>
public sealed record SubmitOrder
{
    [JsonPropertyName("fifo")] public required string Fifo { get; init; }
    [JsonPropertyName("parameters")] public JsonElement? Parameters { get; init; }
}

/// <summary>
/// Submissions a gateway collected from concurrent requests, stored together in this order and answered with one
/// <see cref="OrdersAccepted"/>. Each names the id its order gets (<see cref="OrderIds.New"/>), so a redelivered batch
/// finds its orders instead of storing them twice.
/// </summary>
public sealed record SubmitOrders
{
    [JsonPropertyName("orders")] public required IReadOnlyList<OrderSubmission> Orders { get; init; }
}

public sealed record OrderSubmission
{
    [JsonPropertyName("order_id")] public required string OrderId { get; init; }
    [JsonPropertyName("fifo")] public required string Fifo { get; init; }
    [JsonPropertyName("parameters")] public JsonElement? Parameters { get; init; }
}

/// <summary>The answer to <see cref="SubmitOrders"/>: the stored orders, in the order submitted.</summary>
public sealed record OrdersAccepted
{
    [JsonPropertyName("orders")] public required IReadOnlyList<OrderDocument> Orders { get; init; }
}

/// <summary>Order ids: <c>ord-</c> and 32 hex digits.</summary>
public static class OrderIds
{
    public static string For(Guid id) => $"ord-{id:N}";

    /// <summary>Time-ordered, so new ids land at the end of the order table's index.</summary>
    public static string New() => For(Guid.CreateVersion7());
}

/// <summary>
/// Sent to the FIFO's queue (<c>fifo.&lt;name&gt;</c>), which one worker at a time consumes, in order: one per FIFO
/// per intake, naming its last order; the worker runs the line up to it, every earlier waiting order first.
/// </summary>
public sealed record ProcessOrder
{
    [JsonPropertyName("order_id")] public required string OrderId { get; init; }
    [JsonPropertyName("fifo")] public required string Fifo { get; init; }

    /// <summary>
    /// The sequence of the first order this delivery rings for (its intake's first on this FIFO); null: only
    /// <see cref="OrderId"/>. Final orders in the range whose event this worker did not see confirmed are announced
    /// again.
    /// </summary>
    [JsonPropertyName("first_sequence")] public long? FirstSequence { get; init; }
}

public sealed record GetOrder
{
    [JsonPropertyName("order_id")] public required string OrderId { get; init; }
}

public sealed record ListOrders
{
    [JsonPropertyName("status")] public string? Status { get; init; }
    [JsonPropertyName("fifo")] public string? Fifo { get; init; }
    [JsonPropertyName("limit")] public int Limit { get; init; } = 50;

    /// <summary>Only orders submitted before this sequence number (the previous page's last <c>sequence</c>).</summary>
    [JsonPropertyName("before")] public long? Before { get; init; }
}

public sealed record DiscardOrder
{
    [JsonPropertyName("order_id")] public required string OrderId { get; init; }
}

public sealed record OrderNotFound
{
    [JsonPropertyName("order_id")] public required string OrderId { get; init; }
}

public sealed record OrderList
{
    [JsonPropertyName("items")] public required IReadOnlyList<OrderDocument> Items { get; init; }
}

/// <summary>
/// The answer to <see cref="DiscardOrder"/>: <c>discarded</c>, <c>already_started</c> or <c>not_found</c>.
/// </summary>
public sealed record DiscardOutcome
{
    public const string Discarded = "discarded";
    public const string AlreadyStarted = "already_started";
    public const string NotFound = "not_found";

    [JsonPropertyName("outcome")] public required string Outcome { get; init; }
    [JsonPropertyName("order")] public OrderDocument? Order { get; init; }
}

/// <summary>One order as the API shows it.</summary>
public sealed record OrderDocument
{
    [JsonPropertyName("order_id")] public required string OrderId { get; init; }
    [JsonPropertyName("fifo")] public required string Fifo { get; init; }
    [JsonPropertyName("sequence")] public long Sequence { get; init; }
    [JsonPropertyName("status")] public required string Status { get; init; }
    [JsonPropertyName("parameters")] public JsonElement? Parameters { get; init; }
    [JsonPropertyName("submitted_ts_utc")] public DateTime SubmittedAtUtc { get; init; }
    [JsonPropertyName("started_ts_utc")] public DateTime? StartedAtUtc { get; init; }
    [JsonPropertyName("finished_ts_utc")] public DateTime? FinishedAtUtc { get; init; }
    [JsonPropertyName("attempts")] public int Attempts { get; init; }
    [JsonPropertyName("worker")] public string? Worker { get; init; }
    [JsonPropertyName("reason")] public string? Reason { get; init; }

    /// <summary>The fencing token of the lease its worker held when it started it (null before it started).</summary>
    [JsonPropertyName("fencing_token")] public long? FencingToken { get; init; }
}

/// <summary>Asks for every FIFO line's depth and lease; answered with <see cref="FifoLineList"/>.</summary>
public sealed record ListFifoLines;

public sealed record FifoLineList
{
    /// <summary>Sorted by name: every line with an unfinished order or a lease row.</summary>
    [JsonPropertyName("lines")] public required IReadOnlyList<FifoLine> Lines { get; init; }
}

/// <summary>One FIFO line: how many orders wait and run (counted over all orders), and its lease.</summary>
public sealed record FifoLine
{
    [JsonPropertyName("fifo")] public required string Fifo { get; init; }
    [JsonPropertyName("standby")] public long Standby { get; init; }
    [JsonPropertyName("processing")] public long Processing { get; init; }

    /// <summary>The oldest order processing now, if any.</summary>
    [JsonPropertyName("running")] public OrderDocument? Running { get; init; }

    /// <summary>Null when no worker ever took the line.</summary>
    [JsonPropertyName("lease")] public FifoLease? Lease { get; init; }
}

/// <summary>A line's lease (<c>fifo_leases</c>): who may run its orders, with what fencing token, until when.
/// </summary>
public sealed record FifoLease
{
    /// <summary>The worker process (<c>host:pid:id</c>); null once released.</summary>
    [JsonPropertyName("holder")] public string? Holder { get; init; }
    [JsonPropertyName("token")] public long Token { get; init; }
    [JsonPropertyName("expires_at_utc")] public DateTime ExpiresAtUtc { get; init; }

    /// <summary>Held: a holder and not expired when read.</summary>
    [JsonPropertyName("held")] public bool Held { get; init; }
}

/// <summary>One status change of an order, delivered in an <see cref="OrderStatusChanges"/>.</summary>
public sealed record OrderStatusChanged
{
    [JsonPropertyName("order")] public required OrderDocument Order { get; init; }
}

/// <summary>
/// Published by the FIFO registry after each intake (its orders' standby) and by a worker for what it stored while its
/// previous event was in flight, in stored order (an order's processing comes before its final status). Observers
/// (the CLI's watch, the gateway's live feed) read these; a single change travels in one of these too.
/// </summary>
public sealed record OrderStatusChanges
{
    [JsonPropertyName("changes")] public required IReadOnlyList<OrderStatusChanged> Changes { get; init; }

    public static OrderStatusChanges Of(IEnumerable<OrderDocument> orders) =>
        new() { Changes = orders.Select(o => new OrderStatusChanged { Order = o }).ToList() };
}
