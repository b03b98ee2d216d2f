using Fanout.Contracts;
using MassTransit;

namespace Fanout.Chaos.Parts;

/// <summary>
/// The callback process's ledger file: one line per callback message consumed (with its MessageId, written by
/// <see cref="LedgerObserver"/>) and one per callback that actually ran (written by the callbacks themselves, which
/// the service host skips for a MessageId it already handled). So the run tells a callback requested twice (two
/// MessageIds: exactly-once broken) from one message run again after a crash (at-least-once delivery). Each line is one
/// write(2) before the acknowledgement, so it survives a SIGKILL of this process.
/// </summary>
public sealed class LedgerWriter : IDisposable
{
    readonly StreamWriter _writer;
    readonly Lock _gate = new();

    public LedgerWriter(string path) =>
        _writer = new StreamWriter(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = true };

    public void Write(string line)
    {
        lock (_gate)
            _writer.WriteLine(line);
    }

    public void Dispose() => _writer.Dispose();
}

/// <summary>Records the MessageId of every callback message consumed without a fault.</summary>
public sealed class LedgerObserver(LedgerWriter ledger) : IConsumeObserver
{
    public Task PostConsume<T>(ConsumeContext<T> context) where T : class
    {
        switch (context.Message)
        {
            case FinalCallbackRequested final:
                ledger.Write(LedgerLine.FinalMessage(final.Cid, context.MessageId));
                break;
            case TargetCallbackRequested each:
                ledger.Write(LedgerLine.TargetMessage(each.Payload.Cid, each.Payload.Target, context.MessageId));
                break;
        }

        return Task.CompletedTask;
    }

    public Task PreConsume<T>(ConsumeContext<T> context) where T : class => Task.CompletedTask;

    public Task ConsumeFault<T>(ConsumeContext<T> context, Exception exception) where T : class => Task.CompletedTask;
}

/// <summary>The ledger's line formats, written by the callback process and read by <see cref="Ledger.CallbackLedger"/>.</summary>
public static class LedgerLine
{
    public const string FinalMessageKind = "final-msg";
    public const string FinalRunKind = "final-run";
    public const string TargetMessageKind = "target-msg";
    public const string TargetRunKind = "target-run";

    public static string FinalMessage(string cid, Guid? messageId) => $"{FinalMessageKind}|{cid}|{messageId}";

    public static string FinalRun(string cid) => $"{FinalRunKind}|{cid}";

    public static string TargetMessage(string cid, string target, Guid? messageId) => $"{TargetMessageKind}|{cid}|{target}|{messageId}";

    public static string TargetRun(string cid, string target) => $"{TargetRunKind}|{cid}|{target}";
}
