using System.Text.Json;
using Fanout.Contracts;

namespace Fanout.Tests.Calls;

/// <summary>The JSON names of the call messages, and the optional fields that leave older shapes unchanged.</summary>
public class CallContractShapeTests
{
    static string[] Keys(object value) =>
        JsonSerializer.SerializeToElement(value).EnumerateObject().Select(p => p.Name).ToArray();

    [Fact]
    public void A_plain_json_run_with_calls_binds()
    {
        var run = JsonSerializer.Deserialize<InvokeFanout>("""
            {"calls": [{"service": "resize", "request": {"w": 10}, "key": "img-001", "retry": {"attempts": 3, "delay_ms": 200}},
                       {"service": "resize"}],
             "retry": {"attempts": 2}, "fail_fast": true, "quorum": 1, "on_final": ["cb"]}
            """)!;
        Assert.Equal(["resize", "resize"], run.Calls!.Select(c => c.Service));
        Assert.Equal(("img-001", null), (run.Calls![0].Key, run.Calls[1].Key));
        Assert.Equal(new RetryPolicy { Attempts = 3, DelayMs = 200 }, run.Calls[0].Retry);
        Assert.Equal((2, 0, true, 1), (run.Retry!.Attempts, run.Retry.DelayMs, run.FailFast, run.Quorum));
    }

    [Fact]
    public void A_run_without_calls_serializes_as_before()
    {
        Assert.Equal(["cid", "mode", "source", "targets", "on_final", "on_target", "deadline_ms", "max_concurrency", "req_ts_utc"],
            Keys(new InvokeFanout()));
    }

    [Fact]
    public void Chunks_and_results_use_snake_case_names()
    {
        var call = new CallInvocation { Key = "k", Retry = new RetryPolicy { Attempts = 2, DelayMs = 5 } };
        Assert.Equal(["cid", "source", "service", "channel", "req_ts_utc", "calls"],
            Keys(new InvokeCalls { Cid = "c", Source = "s", Service = "svc", Channel = Channels.FanoutCall, Calls = [call] }));
        Assert.Equal(["key", "request", "completion_token", "callback_url", "retry"], Keys(call));
        Assert.Equal(["attempts", "delay_ms"], Keys(call.Retry));
        var result = new CallResult { Key = "k", Ok = true };
        Assert.Equal(["cid", "service", "results"], Keys(new CallsCompleted { Cid = "c", Service = "svc", Results = [result] }));
        Assert.Equal(["key", "ok", "response", "exception", "req_ts_utc", "resp_ts_utc", "attempts"], Keys(result));
    }

    [Fact]
    public void Service_follows_target_in_payloads_and_completions_when_known()
    {
        var payload = new TargetResultPayload { Source = "s", Target = "resize#3", Service = "resize", Cid = "c" };
        Assert.Equal(["source", "target", "service", "response", "req_ts_utc", "resp_ts_utc", "ok", "exception", "cid"], Keys(payload));
        var completed = new TargetCompleted { Cid = "c", Target = "resize#3", Service = "resize", Attempts = 2 };
        Assert.Equal(["cid", "target", "service", "attempts", "ok", "response", "exception", "req_ts_utc", "resp_ts_utc"], Keys(completed));
        Assert.DoesNotContain("service", Keys(new TargetCompleted { Cid = "c", Target = "t" }));
    }
}
