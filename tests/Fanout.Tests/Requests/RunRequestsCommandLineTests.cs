using System.Text.Json;
using Fanout.Bus.Requests;
using Fanout.Contracts;

namespace Fanout.Tests.Requests;

/// <summary>Run requests from <c>fanout invoke</c>/<c>parallel</c> options and <c>--file</c>.</summary>
public class RunRequestsCommandLineTests
{
    static JsonElement File(string json) => JsonDocument.Parse(json).RootElement;

    static ParsedRunRequest Read(CommandLineRun run, RunRequestShape shape = RunRequestShape.Fanout) =>
        RunRequests.FromCommandLine(run, shape, source: "cli", TimeProvider.System);

    [Fact]
    public void Options_become_an_InvokeFanout()
    {
        var parsed = Read(new CommandLineRun
        {
            Targets = ["service1={\"hello\":1}", "service2"], OnFinal = ["my.final"], OnTarget = ["my.each"],
            Cid = "c-1", DeadlineMs = 90_000, MaxConcurrency = 2,
        });

        Assert.Empty(parsed.Problems);
        var request = parsed.Request;
        Assert.Equal((InvocationMode.Fanout, "c-1", "cli", 90_000L, 2), (request.Mode, request.Cid, request.Source, request.DeadlineMs, request.MaxConcurrency));
        Assert.Equal(1, request.Targets["service1"].GetProperty("hello").GetInt32());
        Assert.Equal(JsonValueKind.Null, request.Targets["service2"].ValueKind);
        Assert.Equal(["my.final"], request.OnFinal);
        Assert.Equal(["my.each"], request.OnTarget);
    }

    [Fact]
    public void Options_win_over_the_file_and_callback_lists_are_merged()
    {
        var parsed = Read(new CommandLineRun
        {
            Targets = ["a=1"], OnTarget = ["cb.1"], Cid = "from-option",
            File = File("""{"targets":{"a":2,"b":3},"callbacks":["cb.1","cb.2"],"cid":"from-file","deadline_ms":5000}"""),
        }, RunRequestShape.Parallel);

        Assert.Empty(parsed.Problems);
        var request = parsed.Request;
        Assert.Equal(InvocationMode.Parallel, request.Mode);
        Assert.Equal((1, 3), (request.Targets["a"].GetInt32(), request.Targets["b"].GetInt32()));
        Assert.Equal(["cb.1", "cb.2"], request.OnTarget);
        Assert.Equal(("from-option", 5000L), (request.Cid, request.DeadlineMs));
    }

    [Theory]
    [InlineData("""{"targets":{"a":1},"on_final":["cb"],"deadline":5000}""", "--file: unknown field 'deadline' (did you mean 'deadline_ms'?)")]
    [InlineData("""{"targets":{"a":1},"on_final":["cb"],"items":[]}""", "--file: unknown field 'items'")]
    public void An_unknown_field_in_the_file_is_refused_by_name(string file, string problem) =>
        Assert.StartsWith(problem, Assert.Single(Read(new CommandLineRun { File = File(file) }).Problems));

    [Fact]
    public void A_parallel_file_with_final_callbacks_is_refused() =>
        Assert.Contains(Read(new CommandLineRun { File = File("""{"targets":{"a":1},"callbacks":["cb"],"on_final":["f"]}""") }, RunRequestShape.Parallel).Problems,
            p => p.StartsWith("--file: field 'on_final' does not belong in a parallel request"));

    [Theory]
    [InlineData(new[] { "a", "a" }, "--target: 'a' is given twice")]
    [InlineData(new[] { "a={\"x\":" }, "--target a: not valid JSON at line 1")]
    [InlineData(new[] { "bad^name" }, "target: service name 'bad^name' is invalid")]
    [InlineData(new string[0], "at least one target or call is required")]
    public void Bad_target_options_are_named(string[] targets, string problem) =>
        Assert.Contains(Read(new CommandLineRun { Targets = targets, OnFinal = ["cb"] }).Problems, p => p.StartsWith(problem));

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var problems = Read(new CommandLineRun { Targets = ["a"], MaxConcurrency = 0 }).Problems;

        Assert.Equal(["a fan-out needs at least one final callback", "max_concurrency must be between 1 and 100000; got 0"], problems);
    }
}
