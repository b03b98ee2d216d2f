using System.Globalization;

namespace Fanout.Chaos.Ledger;

/// <summary>One run as the FIFO handler recorded it; <see cref="End"/> is null when no end was written.</summary>
public sealed record FifoRun(string Worker, string OrderId, long Sequence, long Token, DateTime Start, DateTime? End,
    string? Outcome);

/// <summary>
/// The FIFO handler's run ledger (written by the sample's RunLedger into the file <see cref="PathIn"/> names) read
/// back: runs paired from their start and end lines, per worker and order.
/// </summary>
public static class FifoRuns
{
    /// <summary>The sample FIFO host's setting (Fanout:Fifo:RunLedger) as an environment variable.</summary>
    public const string Variable = "Fanout__Fifo__RunLedger";

    public static string PathIn(ChaosPaths paths) => Path.Combine(paths.RunDirectory, "fifo-runs.ledger");

    public static long Length(string path) => File.Exists(path) ? new FileInfo(path).Length : 0;

    /// <summary>The runs whose lines start at byte <paramref name="offset"/> or later, by start.</summary>
    public static IReadOnlyList<FifoRun> Read(string path, long offset)
    {
        var runs = new List<FifoRun>();
        if (!File.Exists(path))
            return runs;
        var open = new Dictionary<(string Worker, string Order), int>();
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        stream.Seek(offset, SeekOrigin.Begin);
        using var reader = new StreamReader(stream);
        while (reader.ReadLine() is { } line)
        {
            switch (line.Split('|'))
            {
                case ["start", var worker, var order, var sequence, var token, var at]:
                    open[(worker, order)] = runs.Count;
                    runs.Add(new FifoRun(worker, order, long.Parse(sequence, CultureInfo.InvariantCulture),
                        long.Parse(token, CultureInfo.InvariantCulture), Time(at), null, null));
                    break;
                case ["end", var worker, var order, _, _, var at, var outcome]
                    when open.Remove((worker, order), out var index):
                    runs[index] = runs[index] with { End = Time(at), Outcome = outcome };
                    break;
                // A line cut short by a SIGKILL mid-write matches none.
            }
        }

        return runs.OrderBy(r => r.Start).ToList();
    }

    static DateTime Time(string ticks) => new(long.Parse(ticks, CultureInfo.InvariantCulture), DateTimeKind.Utc);
}
