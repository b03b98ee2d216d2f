using Fanout.Chaos.Ledger;

namespace Fanout.Chaos.Reporting;

/// <summary>One scenario's outcome: one row of the table.</summary>
public sealed record ScenarioRow(string Scenario, RunTally Runs, int OrdersAccepted, int OrdersDone, double? RecoverSeconds,
    bool Consuming, string Fault, string Notes, bool FaultCheckPassed, int SubmissionsHung)
{
    /// <summary>What the scenario left for the next one (checked after its drain); clean until checked.</summary>
    public LeftBehind After { get; init; } = LeftBehind.NotChecked;

    public int OrdersLost => OrdersAccepted - OrdersDone;

    /// <summary>Re-runs of one callback message are allowed only when the callback process was killed mid-delivery.</summary>
    public bool ReRunsAllowed => Scenario == "kill-callbacks";

    public bool Passed => Runs.Lost == 0 && Runs.FinalsDuplicated == 0 && Runs.TargetCallbacksMissing == 0 &&
                          Runs.TargetCallbacksDuplicated == 0 && (ReRunsAllowed || Runs.FinalsRerun == 0) &&
                          OrdersLost == 0 && Consuming && FaultCheckPassed && SubmissionsHung == 0 && After.Clean;
}
