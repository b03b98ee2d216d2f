using Fanout.Chaos.Parts;

namespace Fanout.Chaos.Ledger;

/// <summary>
/// The counts of one scenario's accepted runs, from the ledger. <b>Duplicated</b>: the orchestrator sent a callback
/// twice (two MessageIds for one run, or for one target of a run) — the exactly-once promise broken. <b>Re-run</b>: one
/// callback message ran twice, which at-least-once delivery allows only when the callback process died between running
/// it and acknowledging it (a process that lives remembers the MessageIds it handled).
/// </summary>
public sealed record RunTally(int Accepted, int Completed, int Lost, int FinalsDuplicated, int FinalsRerun,
    int TargetCallbacksMissing, int TargetCallbacksDuplicated, IReadOnlyList<string> LostCids)
{
    public static RunTally Of(IReadOnlyCollection<string> accepted, CallbackLedger ledger)
    {
        int completed = 0, duplicated = 0, rerun = 0, missing = 0, targetDuplicated = 0;
        var lost = new List<string>();
        foreach (var cid in accepted)
        {
            var runs = ledger.FinalRuns(cid);
            var messages = ledger.FinalMessages(cid);
            if (runs > 0)
                completed++;
            else
                lost.Add(cid);
            duplicated += Math.Max(0, messages - 1);
            rerun += Math.Max(0, runs - Math.Max(messages, 1));
            missing += ChaosNames.Targets.Count(t => ledger.TargetRuns(cid, t) == 0);
            targetDuplicated += ChaosNames.Targets.Sum(t => Math.Max(0, ledger.TargetMessages(cid, t) - 1));
        }

        return new RunTally(accepted.Count, completed, lost.Count, duplicated, rerun, missing, targetDuplicated, lost);
    }

    /// <summary>Every accepted run has its final callback and all its per-target callbacks.</summary>
    public bool AllDone => Lost == 0 && TargetCallbacksMissing == 0;
}
