namespace Fanout.Chaos.Ledger;

/// <summary>
/// What the FIFO's run ledger shows about the line: pairs of runs that overlapped in time (on one FIFO nothing may
/// run at once), runs that started behind a later order's run (the line out of order), orders run more than once and
/// orders run more than once to success. A run without an end (its process was killed) overlaps nothing.
/// </summary>
public sealed record FifoRunCheck(int Runs, int Overlaps, int OutOfOrder, int Rerun, int DoneTwice, int Unended,
    IReadOnlyList<string> Examples)
{
    public static FifoRunCheck Of(IReadOnlyList<FifoRun> runs)
    {
        var examples = new List<string>();
        var overlaps = 0;
        for (var i = 0; i < runs.Count; i++)
            for (var j = i + 1; j < runs.Count && runs[i].End is { } end && runs[j].Start < end; j++)
            {
                overlaps++;
                if (examples.Count < 3)
                    examples.Add($"#{runs[i].Sequence} on {runs[i].Worker} until {end:HH:mm:ss.fff} overlapped " +
                                 $"#{runs[j].Sequence} on {runs[j].Worker} from {runs[j].Start:HH:mm:ss.fff}");
            }

        var outOfOrder = runs.Zip(runs.Skip(1)).Count(p => p.Second.Sequence < p.First.Sequence);
        var byOrder = runs.GroupBy(r => r.OrderId).ToList();
        return new FifoRunCheck(runs.Count, overlaps, outOfOrder,
            byOrder.Count(g => g.Count() > 1),
            byOrder.Count(g => g.Count(r => r.Outcome == "ok") > 1),
            runs.Count(r => r.End is null),
            examples);
    }

    public bool Passed => Overlaps == 0 && OutOfOrder == 0 && DoneTwice == 0;

    public override string ToString() =>
        $"{Runs} runs: {Overlaps} overlaps, {OutOfOrder} out of order, {Rerun} orders re-run, {DoneTwice} done twice" +
        (Unended > 0 ? $", {Unended} without an end" : "") +
        (Examples.Count > 0 ? $" (e.g. {string.Join("; ", Examples)})" : "");
}
