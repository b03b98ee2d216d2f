using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Fanout.Bus.Requests;
using Fanout.Contracts;
using Xunit.Abstractions;

namespace Fanout.Tests.Requests;

/// <summary>'calls', 'retry', 'fail_fast' and 'quorum' in every request shape, and the key rule.</summary>
public class CallsRequestTests(ITestOutputHelper output)
{
    static ParsedRunRequest Read(string json, RunRequestShape shape = RunRequestShape.Fanout) =>
        RunRequests.FromJson(JsonDocument.Parse(json).RootElement, shape, source: "tests", TimeProvider.System);

    static IReadOnlyList<string> Problems(string json, RunRequestShape shape = RunRequestShape.Fanout) => Read(json, shape).Problems;

    [Theory]
    [InlineData(RunRequestShape.Fanout, """{"calls":[{"service":"resize","request":{"n":1}},{"service":"resize","request":{"n":2},"key":"img-2"}],"on_final":["cb"]}""")]
    [InlineData(RunRequestShape.Parallel, """{"calls":[{"service":"resize","request":{"n":1}},{"service":"resize","request":{"n":2},"key":"img-2"}],"callbacks":["cb"]}""")]
    [InlineData(RunRequestShape.Message, """{"mode":"fanout","calls":[{"service":"resize","request":{"n":1}},{"service":"resize","request":{"n":2},"key":"img-2"}],"on_final":["cb"]}""")]
    public void Calls_are_read_in_every_shape_and_keyed_by_the_rule(RunRequestShape shape, string json)
    {
        var parsed = Read(json, shape);

        Assert.Empty(parsed.Problems);
        Assert.Equal(["resize#0", "img-2"], RunCalls.Expand(parsed.Request).Select(c => c.Key));
        Assert.Equal(2, parsed.Request.Calls![1].Request!.Value.GetProperty("n").GetInt32());
    }

    [Fact]
    public void Targets_and_calls_go_together_and_a_calls_retry_wins_over_the_runs()
    {
        var parsed = Read("""
            {"targets":{"audit":null},"calls":[{"service":"resize","request":1,"retry":{"attempts":5}},{"service":"resize","request":2}],
             "retry":{"attempts":3,"delay_ms":200},"fail_fast":true,"on_final":["cb"]}
            """);

        Assert.Empty(parsed.Problems);
        var planned = RunCalls.Expand(parsed.Request).ToList();
        Assert.Equal(["audit", "resize#0", "resize#1"], planned.Select(c => c.Key));
        Assert.Equal([3, 5, 3], planned.Select(c => c.Retry!.Attempts));
        Assert.True(parsed.Request.FailFast);
    }

    [Theory]
    [InlineData("""{"calls":[{"service":"s","request":1,"keys":"x"}],"on_final":["cb"]}""", "calls[0]: unknown field 'keys' (did you mean 'key'?)")]
    [InlineData("""{"calls":[{"service":"s","payload":1}],"on_final":["cb"]}""", "calls[0]: unknown field 'payload'; it takes service, request, key, retry")]
    [InlineData("""{"calls":[{"request":1}],"on_final":["cb"]}""", "calls[0]: a service name is empty")]
    [InlineData("""{"calls":[{"service":"bad name"}],"on_final":["cb"]}""", "calls[0]: service name 'bad name' is invalid")]
    [InlineData("""{"calls":[{"service":7}],"on_final":["cb"]}""", "calls[0].service must be a string; got 7")]
    [InlineData("""{"calls":["s"],"on_final":["cb"]}""", "calls[0] must be an object with \"service\" and \"request\"; got \"s\"")]
    [InlineData("""{"calls":{"s":1},"on_final":["cb"]}""", "'calls' must be an array of calls")]
    [InlineData("""{"calls":[{"service":"s","key":""}],"on_final":["cb"]}""", "calls[0]: a key is empty")]
    [InlineData("""{"calls":[{"service":"s","key":"a\u0001b"}],"on_final":["cb"]}""", "keys must be printable")]
    [InlineData("""{"calls":[{"service":"s","retry":{"attempts":11}}],"on_final":["cb"]}""", "calls[0].retry.attempts must be between 1 and 10")]
    [InlineData("""{"calls":[{"service":"s","retry":{"tries":2}}],"on_final":["cb"]}""", "calls[0].retry: unknown field 'tries'")]
    [InlineData("""{"calls":[{"service":"s"}],"retry":{"attempts":0},"on_final":["cb"]}""", "retry.attempts must be between 1 and 10 (1 means no retry); got 0")]
    [InlineData("""{"calls":[{"service":"s"}],"retry":{"attempts":2,"delay_ms":-1},"on_final":["cb"]}""", "retry.delay_ms must be between 0 and 300000")]
    [InlineData("""{"calls":[{"service":"s"}],"retry":{"attempts":10,"delay_ms":300000},"on_final":["cb"]}""", "retry: 10 attempts from 300000 ms wait 45 minutes in all; at most 20")]
    [InlineData("""{"calls":[{"service":"s"}],"retry":3,"on_final":["cb"]}""", "'retry' must be an object such as {\"attempts\": 3, \"delay_ms\": 200}; got 3")]
    [InlineData("""{"calls":[{"service":"s"}],"fail_fast":"yes","on_final":["cb"]}""", "'fail_fast' must be true or false; got \"yes\"")]
    [InlineData("""{"calls":[{"service":"s"}],"quorum":2,"on_final":["cb"]}""", "quorum must be between 1 and the number of targets and calls (1); got 2")]
    [InlineData("""{"calls":[{"service":"s"}],"quorum":0,"on_final":["cb"]}""", "quorum must be between 1")]
    [InlineData("""{"calls":[{"service":"s"}],"quorum":1,"fail_fast":true,"on_final":["cb"]}""", "fail_fast and quorum cannot be combined")]
    [InlineData("""{"calls":[],"on_final":["cb"]}""", "at least one target or call is required")]
    public void A_bad_call_or_policy_is_refused_saying_where(string json, string problem) =>
        Assert.Contains(Problems(json), p => p.Contains(problem));

    [Fact]
    public void Duplicate_keys_are_refused_naming_them_whether_explicit_default_or_a_target()
    {
        var problem = Assert.Single(Problems("""
            {"targets":{"audit":1},"calls":[{"service":"s","key":"audit"},{"service":"s"},{"service":"s","key":"s#1"},{"service":"s","key":"x"},{"service":"s","key":"x"}],
             "on_final":["cb"]}
            """));

        Assert.StartsWith("keys must be unique within a run", problem);
        Assert.EndsWith("given more than once: 'audit', 's#1', 'x'", problem);
    }

    [Fact]
    public void The_list_of_duplicate_keys_is_capped()
    {
        var calls = Enumerable.Range(0, 50).Select(i => new { service = "s", key = $"k{i % 25}" });
        var problem = Assert.Single(Problems(JsonSerializer.Serialize(new { calls, on_final = new[] { "cb" } })));

        Assert.EndsWith("'k9' and 15 more", problem);
    }

    [Fact]
    public void Problems_in_many_calls_are_capped()
    {
        var calls = Enumerable.Range(0, 1000).Select(i => new { service = "s", oops = i });
        var problems = Problems(JsonSerializer.Serialize(new { calls, on_final = new[] { "cb" } }));

        Assert.Equal(11, problems.Count);
        Assert.Equal("... and 990 more problems in calls", problems[^1]);
    }

    [Fact]
    public void A_run_over_the_call_limit_is_refused_with_the_limit()
    {
        var request = new InvokeFanout
        {
            Calls = Enumerable.Repeat(new Call { Service = "s" }, FanoutRequestValidator.MaxCallsPerRun + 1).ToList(),
            OnFinal = ["cb"],
        };

        Assert.Contains(FanoutRequestValidator.Problems(request), p => p.Contains("the limit is 1000000 per run"));
    }

    [Fact]
    public void A_hundred_thousand_calls_parse_and_validate_in_one_pass()
    {
        var json = new StringBuilder("""{"on_final":["cb"],"calls":[""");
        for (var i = 0; i < 100_000; i++)
            json.Append(i == 0 ? "" : ",").Append("""{"service":"resize","request":{"image":"img-""").Append(i).Append(""".png","width":640}}""");
        json.Append("]}");

        var watch = Stopwatch.StartNew();
        using var document = JsonDocument.Parse(json.ToString());
        var parsed = RunRequests.FromJson(document.RootElement, RunRequestShape.Fanout, "tests", TimeProvider.System);
        watch.Stop();

        Assert.Empty(parsed.Problems);
        Assert.Equal(100_000, RunCalls.Count(parsed.Request));
        output.WriteLine($"100,000 calls: JSON parsed, read and validated in {watch.ElapsedMilliseconds} ms");
    }
}
