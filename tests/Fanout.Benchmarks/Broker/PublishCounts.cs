namespace Fanout.Benchmarks.Broker;

/// <summary>
/// Messages published into the benchmark's virtual host so far, as the management API counts them: in total
/// (the virtual host's <c>message_stats.publish</c>) and per exchange the client published to
/// (<c>publish_in</c>: a message type's exchange for a publish, a queue's exchange for a send).
/// </summary>
public sealed record PublishCounts(long Total, IReadOnlyDictionary<string, long> ByExchange)
{
    public static PublishCounts None { get; } = new(0, new Dictionary<string, long>());

    /// <summary>What was published after <paramref name="earlier"/> was read.</summary>
    public PublishCounts Since(PublishCounts earlier) => new(Total - earlier.Total,
        ByExchange.Select(e => (e.Key, Count: e.Value - earlier.ByExchange.GetValueOrDefault(e.Key)))
            .Where(e => e.Count != 0)
            .ToDictionary(e => e.Key, e => e.Count));
}
