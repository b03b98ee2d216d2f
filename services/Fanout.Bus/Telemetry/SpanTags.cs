using System.Diagnostics;

namespace Fanout.Bus.Telemetry;

/// <summary>
/// Puts a message's identifiers (cid, target, callback, …) on the current span as fanout.* attributes.
/// </summary>
public static class SpanTags
{
    public const string Prefix = "fanout.";

    /// <param name="fields">
    /// A message's log fields (<c>LogFields</c>): taken as pairs, so tracing needs no logging.
    /// </param>
    public static void Add(Activity? span, IEnumerable<KeyValuePair<string, object?>> fields)
    {
        // Only when recorded: no listener, no span, no work.
        if (span is not { IsAllDataRequested: true })
            return;
        foreach (var (name, value) in fields)
            span.SetTag(Prefix + name, value);
    }

    /// <summary>
    /// A batch of runs is one consumer span for several runs: a lone run's CID goes on it as fanout.cid (as on a lone
    /// run's message), several as fanout.cids.
    /// </summary>
    public static void AddRuns(Activity? span, IReadOnlyList<string?> cids)
    {
        if (span is not { IsAllDataRequested: true })
            return;
        if (cids.Count == 1)
            span.SetTag(Prefix + "cid", cids[0]);
        else
            span.SetTag(Prefix + "cids", cids.ToArray());
    }

    /// <summary>
    /// A chunk of calls is one consumer span for several targets: their keys go on it as fanout.targets (the consume
    /// filter tags the enclosing receive span, not this one, so the cid goes on it too).
    /// </summary>
    public static void AddTargets(Activity? span, string cid, IEnumerable<string> keys)
    {
        if (span is not { IsAllDataRequested: true })
            return;
        span.SetTag(Prefix + "cid", cid);
        span.SetTag(Prefix + "targets", keys.ToArray());
    }
}
