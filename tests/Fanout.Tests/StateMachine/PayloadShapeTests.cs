using System.Text.Json;
using Fanout.Contracts;

namespace Fanout.Tests.StateMachine;

public class PayloadShapeTests
{
    static readonly TargetResultPayload Target = new()
    {
        Source = "caller", Target = "service1", Response = JsonDocument.Parse("{\"a\":1}").RootElement,
        RequestedAtUtc = new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc),
        RespondedAtUtc = new DateTime(2026, 1, 2, 3, 4, 6, DateTimeKind.Utc), Ok = true, Exception = null, Cid = "c1",
    };

    static string[] Keys(JsonElement element) => element.EnumerateObject().Select(p => p.Name).ToArray();

    [Fact]
    public void Per_target_payload_has_exactly_the_reference_keys()
    {
        var json = JsonSerializer.SerializeToElement(Target);
        Assert.Equal(["source", "target", "response", "req_ts_utc", "resp_ts_utc", "ok", "exception", "cid"], Keys(json));
        Assert.Equal("2026-01-02T03:04:05Z", json.GetProperty("req_ts_utc").GetString());
        Assert.Equal(JsonValueKind.Null, json.GetProperty("exception").ValueKind);
    }

    [Fact]
    public void Final_payload_has_exactly_the_reference_keys_and_data_keyed_by_target()
    {
        var final = new FinalPayload
        {
            Source = "caller", RequestedAtUtc = Target.RequestedAtUtc, OnTarget = [], OnFinal = ["cb"],
            Data = new Dictionary<string, TargetResultPayload> { ["service1"] = Target },
        };
        var json = JsonSerializer.SerializeToElement(final);
        Assert.Equal(["source", "req_ts_utc", "on_target", "on_final", "data"], Keys(json));
        Assert.Equal(0, json.GetProperty("on_target").GetArrayLength());
        Assert.Equal("service1", json.GetProperty("data").GetProperty("service1").GetProperty("target").GetString());
    }
}
