using Fanout.Contracts;
using Fanout.Orchestrator.Outbox;

namespace Fanout.Tests.Outbox;

/// <summary>How the rows of one delivery become broker messages.</summary>
public class OutboxCoalescingTests
{
    [Fact]
    public void The_invocations_of_many_runs_to_one_service_leave_as_one_message_each_run_with_its_row_id()
    {
        var rows = Enumerable.Range(0, 5).Select(i => OutboxRows.Invocation($"run-{i}")).ToList();
        rows.Add(OutboxRows.Invocation("run-other", "t.slow1"));

        var messages = OutboxCoalescing.Coalesce(rows, callsPerMessage: 200).Messages;

        Assert.Equal(2, messages.Count);
        var batch = Assert.IsType<InvokeCallsForRuns>(messages[0].Message);
        Assert.Equal(("t.ok", "t.ok"), (batch.Service, messages[0].Destination));
        Assert.Equal(rows.Take(5).Select(r => r.Cid), batch.Runs.Select(r => r.Cid));
        Assert.Equal(rows.Take(5).Select(r => (Guid?)r.Id), batch.Runs.Select(r => r.Id));
        Assert.DoesNotContain(messages[0].MessageId, rows.Select(r => r.Id));
        // A lone invocation travels as it always did, under its row's id.
        var alone = Assert.IsType<InvokeCalls>(messages[1].Message);
        Assert.Equal(("run-other", rows[5].Id, (Guid?)null), (alone.Cid, messages[1].MessageId, alone.Id));
    }

    [Fact]
    public void A_coalesced_invocation_holds_at_most_calls_per_message_calls()
    {
        var rows = Enumerable.Range(0, 7).Select(i => OutboxRows.Invocation($"run-{i}", calls: 3)).ToList();

        var messages = OutboxCoalescing.Coalesce(rows, callsPerMessage: 10).Messages;

        Assert.Equal([3, 3, 1], messages.Select(m => (m.Message as InvokeCallsForRuns)?.Runs.Count ?? 1));
        Assert.Equal(rows.Select(r => r.Id), messages.SelectMany(m => m.Rows).Select(r => r.Id));
    }

    [Fact]
    public void State_changes_leave_as_one_message_in_commit_order_and_callbacks_one_per_row()
    {
        var rows = new[]
        {
            OutboxRows.StateChange("a", FanoutStateChanged.Started), OutboxRows.FinalCallback("z"),
            OutboxRows.StateChange("b", FanoutStateChanged.Started), OutboxRows.StateChange("a", "progressed"),
            OutboxRows.FinalCallback("y"), OutboxRows.StateChange("b", FanoutStates.Completed),
        };

        var messages = OutboxCoalescing.Coalesce(rows, callsPerMessage: 200).Messages;

        var changes = Assert.IsType<FanoutStateChanges>(messages[0].Message);
        Assert.Null(messages[0].Destination);
        Assert.Equal([("a", "started"), ("b", "started"), ("a", "progressed"), ("b", "completed")],
            changes.Changes.Select(c => (c.Run.Cid, c.Change)));
        Assert.Equal(["z", "y"], messages.Skip(1).Select(m => Assert.IsType<FinalCallbackRequested>(m.Message).Cid));
        Assert.Equal([rows[1].Id, rows[4].Id], messages.Skip(1).Select(m => m.MessageId));
    }

    [Fact]
    public void The_same_rows_batched_again_carry_the_same_message_id_and_other_rows_another()
    {
        var rows = Enumerable.Range(0, 3).Select(i => OutboxRows.Invocation($"run-{i}")).ToList();

        var first = OutboxCoalescing.Coalesce(rows, 200).Messages.Single().MessageId;
        // As the relay reads them back after a crash: no message in hand, only the stored body.
        var again = OutboxCoalescing.Coalesce(rows.Select(OutboxRows.Stored).ToList(), 200).Messages.Single();
        var fewer = OutboxCoalescing.Coalesce(rows.Take(2).ToList(), 200).Messages.Single().MessageId;

        Assert.Equal(first, again.MessageId);
        Assert.Equal(3, Assert.IsType<InvokeCallsForRuns>(again.Message).Runs.Count);
        Assert.NotEqual(first, fewer);
    }

    [Fact]
    public void A_row_that_cannot_be_read_is_left_out_and_the_others_still_go()
    {
        var broken = OutboxRows.Stored(OutboxRows.Invocation("broken"));
        broken.Body = "{\"cid\": ";
        var rows = new[] { OutboxRows.Invocation("a"), broken, OutboxRows.Invocation("b") };

        var coalesced = OutboxCoalescing.Coalesce(rows, 200);

        Assert.Equal(broken.Id, Assert.Single(coalesced.Unreadable).Row.Id);
        Assert.Equal(["a", "b"], Assert.IsType<InvokeCallsForRuns>(coalesced.Messages.Single().Message).Runs
            .Select(r => r.Cid));
    }
}
