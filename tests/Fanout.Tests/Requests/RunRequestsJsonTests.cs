using System.Text.Json;
using Fanout.Bus.Requests;
using Fanout.Contracts;

namespace Fanout.Tests.Requests;

/// <summary>Run requests read from JSON: the gateway's bodies, a CLI request file, the plain InvokeFanout message.</summary>
public class RunRequestsJsonTests
{
    static ParsedRunRequest Read(string json, RunRequestShape shape = RunRequestShape.Fanout) =>
        RunRequests.FromJson(JsonDocument.Parse(json).RootElement, shape, source: "tests", TimeProvider.System);

    static string OnlyProblem(string json, RunRequestShape shape = RunRequestShape.Fanout) => Assert.Single(Read(json, shape).Problems);

    [Fact]
    public void A_fanout_body_becomes_an_InvokeFanout_with_every_field()
    {
        var parsed = Read("""
            {"targets":{"service1":{"hello":1},"service2":null},"on_final":["my.final"],"on_target":["my.each"],
             "cid":"c-1","source":"billing","deadline_ms":60000,"max_concurrency":4}
            """);

        Assert.Empty(parsed.Problems);
        var request = parsed.Request;
        Assert.Equal((InvocationMode.Fanout, "c-1", "billing", 60000L, 4), (request.Mode, request.Cid, request.Source, request.DeadlineMs, request.MaxConcurrency));
        Assert.Equal(["service1", "service2"], request.Targets.Keys);
        Assert.Equal(1, request.Targets["service1"].GetProperty("hello").GetInt32());
        Assert.Equal(JsonValueKind.Null, request.Targets["service2"].ValueKind);
        Assert.Equal(["my.final"], request.OnFinal);
        Assert.Equal(["my.each"], request.OnTarget);
    }

    [Fact]
    public void A_parallel_body_sends_its_callbacks_as_on_target()
    {
        var parsed = Read("""{"targets":{"service1":1},"callbacks":["cb.a","cb.b"]}""", RunRequestShape.Parallel);

        Assert.Empty(parsed.Problems);
        Assert.Equal(InvocationMode.Parallel, parsed.Request.Mode);
        Assert.Equal(["cb.a", "cb.b"], parsed.Request.OnTarget);
        Assert.Empty(parsed.Request.OnFinal);
    }

    [Fact]
    public void What_the_sender_left_out_is_filled_in()
    {
        var before = DateTime.UtcNow;
        var request = Read("""{"targets":{"a":1},"on_final":["cb"],"cid":null}""").Request;

        Assert.False(string.IsNullOrEmpty(request.Cid));
        Assert.Equal("tests", request.Source);
        Assert.InRange(request.RequestedAtUtc!.Value, before, DateTime.UtcNow);
    }

    [Theory]
    [InlineData("""{"targets":{"a":1},"on_final":["cb"],"deadline":5000}""", "unknown field 'deadline' (did you mean 'deadline_ms'?)")]
    [InlineData("""{"targets":{"a":1},"on_final":["cb"],"maxConcurrency":2}""", "unknown field 'maxConcurrency' (did you mean 'max_concurrency'?)")]
    [InlineData("""{"targets":{"a":1},"onfinal":["cb"]}""", "unknown field 'onfinal' (did you mean 'on_final'?)")]
    [InlineData("""{"targets":{"a":1},"on_final":["cb"],"items":[]}""", "unknown field 'items'; a fan-out request takes targets, calls, on_final, on_target, cid, source, deadline_ms, max_concurrency, retry, fail_fast, quorum, require_live_services")]
    public void An_unknown_field_is_refused_by_name(string json, string problem) =>
        Assert.Contains(problem, Read(json).Problems);

    [Fact]
    public void Every_unknown_field_is_named()
    {
        var problems = Read("""{"targets":{"a":1},"on_final":["cb"],"deadline":1,"items":[]}""").Problems;

        Assert.Equal(2, problems.Count);
        Assert.Contains(problems, p => p.StartsWith("unknown field 'deadline'"));
        Assert.Contains(problems, p => p.StartsWith("unknown field 'items'"));
    }

    [Fact]
    public void A_parallel_request_with_final_callbacks_is_refused() =>
        Assert.Equal("field 'on_final' does not belong in a parallel request: a parallel execution has no final callbacks; " +
            "pass them as 'callbacks', or start a fan-out",
            OnlyProblem("""{"targets":{"a":1},"callbacks":["cb"],"on_final":["fin"]}""", RunRequestShape.Parallel));

    [Theory]
    [InlineData(RunRequestShape.Parallel, """{"targets":{"a":1},"callbacks":["cb"],"on_target":["cb2"]}""", "'on_target'", "'callbacks'")]
    [InlineData(RunRequestShape.Fanout, """{"targets":{"a":1},"on_final":["cb"],"callbacks":["cb2"]}""", "'callbacks'", "'on_target'")]
    [InlineData(RunRequestShape.Fanout, """{"targets":{"a":1},"on_final":["cb"],"mode":"parallel"}""", "'mode'", "picks the mode")]
    [InlineData(RunRequestShape.Fanout, """{"targets":{"a":1},"on_final":["cb"],"req_ts_utc":"2025-01-01T00:00:00Z"}""", "'req_ts_utc'", "set when")]
    public void A_field_of_another_shape_is_refused_with_what_to_use(RunRequestShape shape, string json, string field, string advice)
    {
        var problem = OnlyProblem(json, shape);
        Assert.Contains(field, problem);
        Assert.Contains(advice, problem);
    }

    [Fact]
    public void A_parallel_request_without_callbacks_is_refused() =>
        Assert.Equal("a parallel execution needs at least one callback", OnlyProblem("""{"targets":{"a":1}}""", RunRequestShape.Parallel));

    [Fact]
    public void Bad_names_are_named()
    {
        var problems = Read("""{"targets":{"bad name":1},"on_final":["fanout.reserved"]}""").Problems;

        Assert.Contains(problems, p => p.StartsWith("target: service name 'bad name' is invalid"));
        Assert.Contains(problems, p => p.StartsWith("final callback: service name 'fanout.reserved' is invalid"));
    }

    [Theory]
    [InlineData("""{"targets":["a"],"on_final":["cb"]}""", "'targets' must be an object of service name to request; got an array")]
    [InlineData("""{"targets":{"a":1},"on_final":"cb"}""", "'on_final' must be an array of service names; got \"cb\"")]
    [InlineData("""{"targets":{"a":1},"on_final":["cb", 7]}""", "'on_final' must be an array of service names; got an array")]
    [InlineData("""{"targets":{"a":1},"on_final":["cb"],"deadline_ms":"15m"}""", "'deadline_ms' must be a whole number of milliseconds; got \"15m\"")]
    [InlineData("""{"targets":{"a":1},"on_final":["cb"],"deadline_ms":1.5}""", "'deadline_ms' must be a whole number of milliseconds; got 1.5")]
    [InlineData("""{"targets":{"a":1},"on_final":["cb"],"max_concurrency":9999999999}""", "'max_concurrency' must be a whole number from 1 to 100000; got 9999999999")]
    [InlineData("""{"targets":{"a":1},"on_final":["cb"],"cid":42}""", "'cid' must be a string; got 42")]
    [InlineData("""{"targets":{"a":1},"on_final":["cb"],"targets":{"b":1}}""", "field 'targets' is given twice")]
    [InlineData("""{"targets":{"a":1,"a":2},"on_final":["cb"]}""", "target 'a' is given twice")]
    [InlineData("""["a"]""", "the request must be a JSON object with \"targets\" or \"calls\"; got an array")]
    public void A_value_of_the_wrong_type_is_refused_by_field(string json, string problem) =>
        Assert.Contains(problem, Read(json).Problems);

    [Fact]
    public void Limits_are_checked_after_reading() =>
        Assert.Equal("deadline_ms must be between 1 and 2592000000 (30 days); got 0",
            OnlyProblem("""{"targets":{"a":1},"on_final":["cb"],"deadline_ms":0}"""));

    [Fact]
    public void The_plain_message_carries_its_own_mode_source_and_time()
    {
        var parsed = Read("""
            {"cid":"m-1","mode":"parallel","source":"ops","targets":{"a":1},"on_target":["cb"],"req_ts_utc":"2025-01-31T12:00:00Z"}
            """, RunRequestShape.Message);

        Assert.Empty(parsed.Problems);
        Assert.Equal((InvocationMode.Parallel, "ops", new DateTime(2025, 1, 31, 12, 0, 0, DateTimeKind.Utc)),
            (parsed.Request.Mode, parsed.Request.Source, parsed.Request.RequestedAtUtc));
        Assert.Equal(["cb"], parsed.Request.OnTarget);
    }

    [Fact]
    public void The_message_refuses_the_gateway_only_callbacks_field() =>
        Assert.Contains("'callbacks'", OnlyProblem("""{"targets":{"a":1},"on_final":["cb"],"callbacks":["x"]}""", RunRequestShape.Message));

    [Fact]
    public void Each_shape_accepts_the_documented_fields()
    {
        string[] run = ["retry", "fail_fast", "quorum", "require_live_services"];
        Assert.Equal(["targets", "calls", "on_final", "on_target", "cid", "source", "deadline_ms", "max_concurrency", .. run], RunRequestFields.AcceptedBy(RunRequestShape.Fanout));
        Assert.Equal(["targets", "calls", "callbacks", "cid", "source", "deadline_ms", "max_concurrency", .. run], RunRequestFields.AcceptedBy(RunRequestShape.Parallel));
        Assert.Equal(["targets", "calls", "on_final", "on_target", "cid", "source", "mode", "deadline_ms", "max_concurrency", .. run, "req_ts_utc"],
            RunRequestFields.AcceptedBy(RunRequestShape.Message));
    }
}
