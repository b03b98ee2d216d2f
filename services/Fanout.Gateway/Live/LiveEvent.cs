namespace Fanout.Gateway.Live;

/// <summary>
/// One event as the stream sends it: serialized once when it arrives, whatever the number of open streams.
/// <see cref="Cid"/>, <see cref="State"/> and <see cref="Fifo"/> are kept beside the JSON for the streams' filters.
/// </summary>
public sealed record LiveEvent(string Type, string Json, string? Cid = null, string? State = null, string? Fifo = null)
{
    public const string Run = "run";
    public const string Order = "order";

    /// <summary>Given by <see cref="EventLog"/> when it stores the event: 1, 2, 3, … per gateway process.</summary>
    public long Id { get; init; }
}

/// <summary>
/// What one stream asked for: <c>cid</c>, <c>state</c> (run events), <c>fifo</c> (order events), <c>types</c>.
/// </summary>
public sealed record EventFilter(string? Cid, string? State, string? Fifo, bool Runs, bool Orders)
{
    public static readonly EventFilter All = new(null, null, null, true, true);

    public bool Matches(LiveEvent e) => e.Type switch
    {
        LiveEvent.Run => Runs && (Cid is null || Cid == e.Cid) && (State is null || State == e.State),
        LiveEvent.Order => Orders && (Fifo is null || Fifo == e.Fifo) && Cid is null,
        _ => false,
    };
}
