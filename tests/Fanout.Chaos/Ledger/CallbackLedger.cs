using Fanout.Chaos.Parts;

namespace Fanout.Chaos.Ledger;

/// <summary>What the callback process recorded (see <see cref="LedgerWriter"/>), read back per CID.</summary>
public sealed class CallbackLedger
{
    readonly Dictionary<string, HashSet<string>> _finalMessages = [];
    readonly Dictionary<string, int> _finalRuns = [];
    readonly Dictionary<(string Cid, string Target), HashSet<string>> _targetMessages = [];
    readonly Dictionary<(string Cid, string Target), int> _targetRuns = [];

    public static CallbackLedger Read(string path)
    {
        var ledger = new CallbackLedger();
        if (!File.Exists(path))
            return ledger;
        using var reader = new StreamReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
        while (reader.ReadLine() is { } line)
        {
            switch (line.Split('|'))
            {
                case [LedgerLine.FinalMessageKind, var cid, var messageId]:
                    Set(ledger._finalMessages, cid).Add(messageId);
                    break;
                case [LedgerLine.FinalRunKind, var cid]:
                    ledger._finalRuns[cid] = ledger._finalRuns.GetValueOrDefault(cid) + 1;
                    break;
                case [LedgerLine.TargetMessageKind, var cid, var target, var messageId]:
                    Set(ledger._targetMessages, (cid, target)).Add(messageId);
                    break;
                case [LedgerLine.TargetRunKind, var cid, var target]:
                    ledger._targetRuns[(cid, target)] = ledger._targetRuns.GetValueOrDefault((cid, target)) + 1;
                    break;
                // A line cut short by a SIGKILL mid-write matches none: that callback did not finish.
            }
        }

        return ledger;
    }

    static HashSet<string> Set<TKey>(Dictionary<TKey, HashSet<string>> map, TKey key) where TKey : notnull =>
        map.TryGetValue(key, out var set) ? set : map[key] = [];

    /// <summary>Runs whose final callback ran at least once.</summary>
    public int RunsFinished => _finalRuns.Count;

    /// <summary>How many times the final callback of <paramref name="cid"/> ran.</summary>
    public int FinalRuns(string cid) => _finalRuns.GetValueOrDefault(cid);

    /// <summary>How many distinct final-callback messages the orchestrator sent for <paramref name="cid"/>.</summary>
    public int FinalMessages(string cid) => _finalMessages.GetValueOrDefault(cid)?.Count ?? 0;

    public int TargetRuns(string cid, string target) => _targetRuns.GetValueOrDefault((cid, target));

    public int TargetMessages(string cid, string target) => _targetMessages.GetValueOrDefault((cid, target))?.Count ?? 0;
}
