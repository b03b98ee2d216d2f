using System.Text.Json;
using Fanout.Bus.Authoring;
using Fanout.Contracts;
using Fanout.Orchestrator.Outbox;
using Fanout.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Fanout.Tests.Outbox;

public class OutboxRecoveryTests
{
    [Fact]
    public async Task Messages_committed_but_not_delivered_before_a_crash_are_delivered_once_after_restart()
    {
        var directory = Path.Combine(Path.GetTempPath(), "fanout-tests", Guid.NewGuid().ToString("N"));
        // First life: a fan-out whose final callback was committed to the outbox, then the process died.
        await using (var first = await EmbeddedBus.StartAsync(directory: directory))
        {
            await first.QueryAsync(async db =>
            {
                db.Set<OutboxMessage>().Add(new OutboxMessage
                {
                    Id = Guid.NewGuid(),
                    Cid = "crashed-1",
                    MessageType = nameof(FinalCallbackRequested),
                    Body = JsonSerializer.Serialize(new FinalCallbackRequested
                    {
                        Callback = "cb.final1",
                        Cid = "crashed-1",
                        Payload = new FinalPayload
                        {
                            Source = "tests", RequestedAtUtc = DateTime.UtcNow, OnTarget = [], OnFinal = ["cb.final1"],
                            Data = new Dictionary<string, TargetResultPayload>(),
                        },
                    }),
                    CreatedAtUtc = DateTime.UtcNow.AddSeconds(-1),
                });
                return await db.SaveChangesAsync();
            });
        }

        // Second life: the relay finds the row and delivers it, exactly once, then removes it.
        await using var second = await EmbeddedBus.StartAsync(directory: directory);
        await second.Recorder.WaitFor(all => all.Any(i => i.Service == "cb.final1" && i.Cid == "crashed-1"));
        // Once the row is gone the relay cannot deliver it again; once the bus is idle, a repeat sent before that was handled.
        await Eventually.Until(() => second.QueryAsync(db => db.Set<OutboxMessage>().CountAsync()), count => count == 0,
            "the relay to remove the delivered outbox row", describe: count => $"{count} rows");
        await second.WaitForIdle();
        Assert.Single(second.Recorder.Of("cb.final1", "crashed-1"));
    }

    [Fact]
    public async Task Delivered_outbox_rows_are_removed()
    {
        await using var bus = await EmbeddedBus.StartAsync();
        var cid = await bus.Patterns.Fanout.InvokeAsync(new Dictionary<string, object?> { ["t.ok"] = 1 }, ["cb.final1"]);
        await bus.Recorder.WaitFor(all => all.Any(i => i.Service == "cb.final1"));
        await Eventually.Until(() => bus.QueryAsync(db => db.Set<OutboxMessage>().CountAsync(m => m.Cid == cid)),
            count => count == 0,
            $"the outbox rows of {cid} to be removed", TimeSpan.FromSeconds(10), count => $"{count} rows");
    }
}
