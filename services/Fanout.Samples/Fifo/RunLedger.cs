using System.Text;

namespace Fanout.Samples.Fifo;

/// <summary>
/// The handler's own record of its runs, one line each at the start and the end of every run:
/// <c>start|worker|order|sequence|fencing token|utc ticks</c> and <c>end|…|outcome</c> (ok, failed, cancelled).
/// Written by every worker process into one file (<c>Fanout:Fifo:RunLedger</c>), each line with one append, so that
/// overlapping runs of one FIFO can be found afterwards. Off unless a path is configured.
/// </summary>
public sealed class RunLedger(string path, TimeProvider clock)
{
    public const string Setting = "Fanout:Fifo:RunLedger";

    static readonly string Worker = $"{Environment.MachineName}:{Environment.ProcessId}";

    public void Started(string orderId, long sequence, long fencingToken) =>
        Append($"start|{Worker}|{orderId}|{sequence}|{fencingToken}|{clock.GetUtcNow().UtcTicks}");

    public void Ended(string orderId, long sequence, long fencingToken, string outcome) =>
        Append($"end|{Worker}|{orderId}|{sequence}|{fencingToken}|{clock.GetUtcNow().UtcTicks}|{outcome}");

    void Append(string line)
    {
        // O_APPEND with one write per line: lines of concurrent processes never interleave.
        using var file = new FileStream(path, FileMode.Append, FileAccess.Write,
            FileShare.ReadWrite | FileShare.Delete);
        file.Write(Encoding.UTF8.GetBytes(line + "\n"));
    }
}
