using System.ComponentModel.DataAnnotations.Schema;
using MassTransit;

namespace Fanout.Orchestrator.Runs;

/// <summary>
/// One fan-out or parallel execution. Per-target results live in <see cref="TargetResult"/> rows so that
/// recording a completion touches one small row here, never a document of every result.
/// </summary>
public sealed class FanoutSaga : SagaStateMachineInstance
{
    /// <summary>Name-based hash of <see cref="Cid"/> (see <c>CorrelationIds.ToGuid</c>).</summary>
    public Guid CorrelationId { get; set; }

    public string Cid { get; set; } = "";
    public string CurrentState { get; set; } = "";
    public string Mode { get; set; } = "";
    public string Source { get; set; } = "";
    public DateTime RequestedAtUtc { get; set; }
    /// <summary>When unfinished targets are recorded as timed out; enforced by <c>DeadlineSweeper</c>.</summary>
    public DateTime DeadlineUtc { get; set; }

    /// <summary>When the run ended (completed, timed out or cancelled).</summary>
    public DateTime? CompletedAtUtc { get; set; }

    /// <summary>At most this many targets in flight; null means all at once.</summary>
    public int? MaxConcurrency { get; set; }

    /// <summary>The run ends at its first target that failed (after retries); the rest are cancelled.</summary>
    public bool? FailFast { get; set; }

    /// <summary>The run ends once this many targets finished ok; the rest are cancelled.</summary>
    public int? Quorum { get; set; }

    /// <summary>
    /// The run lists <c>calls</c>: its payloads then name each target's <c>service</c> (runs of plain targets keep the
    /// reference keys).
    /// </summary>
    public bool HasCalls { get; set; }

    public int InvokedCount { get; set; }
    public List<string> OnTarget { get; set; } = [];
    public List<string> OnFinal { get; set; } = [];
    public int TargetCount { get; set; }

    /// <summary>What the run was warned of when it started (services no live host served); null when nothing.</summary>
    public List<string>? Warnings { get; set; }
    public int FinishedCount { get; set; }
    public int FailedCount { get; set; }

    /// <summary>
    /// The message that created this fan-out: its redelivery is answered again, not refused as a duplicate.
    /// </summary>
    public Guid? InvokeMessageId { get; set; }

    /// <summary>Optimistic concurrency token, bumped on every save (SQLite generates no row version).</summary>
    public int Version { get; set; }

    /// <summary>
    /// The targets the message being handled finished, in the order recorded: its results first, then the targets an
    /// early end (deadline, cancel, <c>fail_fast</c>, <c>quorum</c>) recorded failed, of which only the first
    /// <see cref="MaxFinishedListed"/> when nothing else needs them. The activity that records them adds them; the
    /// state-change event lists them (<c>AnnounceStateActivity</c>). Not stored: every message loads the saga anew.
    /// </summary>
    [NotMapped]
    public List<TargetResult> JustFinished { get; } = [];

    /// <summary>
    /// At most this many of <see cref="JustFinished"/> are listed in a state-change event: a batch of a big map, or a
    /// run ending with thousands cancelled, is one event, not a message the size of the run. Counts are in its run.
    /// </summary>
    public const int MaxFinishedListed = 100;

    /// <summary>
    /// The messages the message being handled emits, in the order its steps emit them (invocations, callbacks, events).
    /// The saga's repository stores them in the outbox, in the transaction that stores this saga, so they leave
    /// exactly when the change that caused them is committed. Not stored here: every message loads the saga anew.
    /// </summary>
    [NotMapped]
    public List<EmittedMessage> Emitted { get; } = [];

    /// <summary>Emits a message to publish (see <see cref="Emitted"/>).</summary>
    public void Publish(object message) => Emitted.Add(new EmittedMessage(message, Queue: null));

    /// <summary>Emits a message to send to <paramref name="queue"/> (see <see cref="Emitted"/>).</summary>
    public void Send(object message, string queue) => Emitted.Add(new EmittedMessage(message, queue));
}
