using Fanout.Bus.Waiting;

namespace Fanout.Bus.Patterns;

/// <summary>Creates pattern clients that report a given service as their source; all submit through one
/// <see cref="RunSubmissions"/>.</summary>
public sealed class PatternsFactory(
    RunSubmissions submissions, FanoutBusSettings settings, RunWaiter waiter, RunStatusReader status,
    TimeProvider time)
{
    public IFanoutPatterns ForSource(string source) =>
        new PatternsClient(submissions, source, settings.AcknowledgeTimeout, waiter, status, time);
}
