using Fanout.Bus.Authoring;
using Fanout.Contracts;
using MassTransit;
using static Fanout.Tests.Calls.ServiceHost;

namespace Fanout.Tests.Calls;

/// <summary>
/// A callback named in the wrong role fails at once: one clear log line, a fault naming the callback, the channel it
/// got and the one it expects, and no retry (retries would add lines and delay the fault by seconds).
/// </summary>
public class CallbackMisuseTests
{
    static TargetResultPayload TargetPayload(string cid) => new() { Source = "tests", Target = "t.x", Cid = cid, Ok = true };

    static FinalPayload FinalPayloadOf(string cid) => new()
    {
        Source = "tests", OnTarget = [], OnFinal = [], Data = new Dictionary<string, TargetResultPayload> { ["t.x"] = TargetPayload(cid) },
    };

    [Fact]
    public async Task A_final_callback_named_as_a_per_target_callback_fails_once_and_clearly()
    {
        await using var host = await StartAsync();
        await host.Harness.Bus.Publish(new TargetCallbackRequested
        {
            Callback = "cb.final-only", Channel = Channels.FanoutOnTarget, Payload = TargetPayload("misuse-1"),
        });

        var fault = await Faulted<TargetCallbackRequested>(host, "cb.final-only");

        await AssertOneClearLine(host, fault, "cb.final-only", Channels.FanoutOnTarget, Channels.FanoutOnFinal);
        Assert.Equal(0, host.Log.Count("cb.final-only"));
    }

    [Fact]
    public async Task A_per_target_callback_named_as_a_final_callback_fails_once_and_clearly()
    {
        await using var host = await StartAsync();
        await host.Harness.Bus.Publish(new FinalCallbackRequested
        {
            Callback = "cb.target-only", Cid = "misuse-2", Payload = FinalPayloadOf("misuse-2"),
        });

        var fault = await Faulted<FinalCallbackRequested>(host, "cb.target-only");

        await AssertOneClearLine(host, fault, "cb.target-only", Channels.FanoutOnFinal, Channels.FanoutOnTarget);
        Assert.Equal(0, host.Log.Count("cb.target-only"));
    }

    [Fact]
    public async Task A_payload_that_does_not_bind_to_a_plain_service_request_fails_once_and_clearly()
    {
        await using var host = await StartAsync();
        await host.Harness.Bus.Publish(new FinalCallbackRequested
        {
            Callback = "cb.needs-field", Cid = "misuse-3", Payload = FinalPayloadOf("misuse-3"),
        });

        var fault = await Faulted<FinalCallbackRequested>(host, "cb.needs-field");

        await AssertOneClearLine(host, fault, "cb.needs-field", Channels.FanoutOnFinal, "a payload that binds to Request");
    }

    static async Task<Fault<T>> Faulted<T>(ServiceHost host, string callback) where T : class =>
        (await Eventually.Until(host.Observed.Published<Fault<T>>, faults => faults.Count > 0, $"the fault of {callback}")).Single();

    static async Task AssertOneClearLine(ServiceHost host, Fault fault, string callback, string received, string expected)
    {
        var exception = Assert.Single(fault.Exceptions);
        Assert.Equal(typeof(CallbackMisuseException).FullName, exception.ExceptionType);
        foreach (var text in new[] { callback, received, expected })
            Assert.Contains(text, exception.Message);
        // The error pipe logs the one line as it moves the message to the _error queue; the fault may be seen first.
        await Eventually.Holds(() =>
        {
            var line = Assert.Single(host.Logs.Lines, l => l.Message.Contains($"Callback '{callback}'"));
            Assert.EndsWith($"moved to {callback}_error: {exception.Message}", line.Message);
        }, $"one log line for {callback}");
    }
}
