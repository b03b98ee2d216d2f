using Fanout.Chaos.Deployment;
using Fanout.Chaos.Reporting;
using Fanout.Testing;

namespace Fanout.Chaos.Scenarios;

/// <summary>
/// What a scenario left behind once its load drained, looked at before the next one starts: every part's process
/// running, every watched queue with its consumers and the gateway healthy, no queue keeping messages. The run restarts
/// nothing: a process found dead or without a consumer it had fails the scenario that left it so, with its state.
/// </summary>
public sealed class Aftermath(SystemProcesses system, Recovery recovery, TimeSpan recoveryLimit)
{
    /// <summary>Quiet time after the drain before the first look: a consumer lost after the load shows here.</summary>
    static readonly TimeSpan Settle = TimeSpan.FromSeconds(10);

    /// <summary>Queue depths lag seconds behind: a backlog seen once is not yet a stuck consumer.</summary>
    static readonly TimeSpan StuckAfter = TimeSpan.FromSeconds(20);

    static readonly TimeSpan Poll = TimeSpan.FromSeconds(1);

    public async Task<LeftBehind> CheckAsync(CancellationToken cancellationToken)
    {
        await Task.Delay(Settle, cancellationToken);
        var notes = new List<string>();
        var shortfalls = await recovery.ShortfallsAsync(cancellationToken);
        if (shortfalls.Count > 0)
        {
            // A process may be restoring a consumer it lost (that is its job): it gets the recovery limit to do so.
            var lost = string.Join(", ", shortfalls);
            var restored = await Polling.UntilAsync(() => recovery.ShortfallsAsync(cancellationToken),
                left => left.Count == 0, recoveryLimit, Poll, cancellationToken);
            shortfalls = restored.Last;
            if (restored.Met)
                notes.Add($"after the drain {lost}; consuming again {restored.Elapsed.TotalSeconds:0} s later");
        }

        var after = Settle + recoveryLimit;
        var problems = shortfalls.Select(s => $"not consuming {after.TotalSeconds:0} s after the drain: {s}").ToList();
        problems.AddRange((await StuckAsync(cancellationToken)).Select(b => $"stuck: {b}"));
        var dead = system.Names.Select(n => system.State(n)).Where(s => !s.Alive).ToList();
        problems.AddRange(dead.Select(d => $"process {d}"));
        var involved = shortfalls.SelectMany(s => s.SilentOwners).Concat(dead.Select(d => d.Name)).Distinct()
            .Select(n => system.State(n)).ToList();
        return new LeftBehind(problems, involved, notes);
    }

    /// <summary>What still holds messages once queue depths had <see cref="StuckAfter"/> to catch up.</summary>
    async Task<IReadOnlyList<string>> StuckAsync(CancellationToken cancellationToken) =>
        (await Polling.UntilAsync(() => recovery.BacklogAsync(cancellationToken), backlog => backlog.Count == 0,
            StuckAfter, Poll, cancellationToken)).Last;
}
