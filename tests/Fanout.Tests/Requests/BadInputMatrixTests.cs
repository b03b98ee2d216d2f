using System.Text.Json;
using Fanout.Bus.Patterns;
using Fanout.Bus.Requests;
using Fanout.Contracts;
using Fanout.Gateway.Routes;
using Microsoft.AspNetCore.Http;
using static Fanout.Tests.Gateway.GatewayRequests;

namespace Fanout.Tests.Requests;

/// <summary>
/// The same bad run request at every door that reads one: the gateway's <c>POST /v1/fanouts</c> (a 400), the CLI's
/// <c>--file</c>, the plain-JSON <c>InvokeFanout</c> on <c>fanout.invoke</c>, and the C# API (for what its types let a
/// caller express). Each is refused with one problem that says what is wrong, before anything is sent or stored.
/// docs/guarantees.md ("Bad input at every door") lists the matrix, with the doors covered elsewhere.
/// </summary>
public class BadInputMatrixTests
{
    static readonly RunSubmitter NoOrchestrator = new(null!, Settings);

    public static TheoryData<string, string, string, string> JsonCases => new()
    {
        { "wrong type", """{"targets":{"a":1},"on_final":["cb"],"deadline_ms":"15m"}""", "'deadline_ms' must be a whole number of milliseconds", "wrong_type" },
        { "wrong type of a list", """{"targets":{"a":1},"on_final":"cb"}""", "'on_final' must be an array of service names", "wrong_type" },
        { "empty key", """{"targets":{"":1},"on_final":["cb"]}""", "a service name is empty", "invalid_service_name" },
        { "duplicate key", """{"targets":{"a":1,"a":2},"on_final":["cb"]}""", "target 'a' is given twice", "duplicate_name" },
        { "duplicate field", """{"targets":{"a":1},"on_final":["cb"],"on_final":["cb2"]}""", "field 'on_final' is given twice", "duplicate_name" },
        { "duplicate callback", """{"targets":{"a":1},"on_final":["cb","cb"]}""", "final callback 'cb' is listed more than once", "duplicate_name" },
        { "invalid target name", """{"targets":{"bad name":1},"on_final":["cb"]}""", "service name 'bad name' is invalid", "invalid_service_name" },
        { "reserved name", """{"targets":{"fanout.orchestrator":1},"on_final":["cb"]}""", "are reserved for the bus", "invalid_service_name" },
        { "invalid callback name", """{"targets":{"a":1},"on_final":["my callback"]}""", "final callback: service name 'my callback' is invalid", "invalid_service_name" },
        { "too many callbacks", $$"""{"targets":{"a":1},"on_final":[{{string.Join(",", Enumerable.Range(0, 65).Select(i => $"\"cb{i}\""))}}]}""", "65 final callbacks given; the limit is 64", "out_of_range" },
        { "deadline too small", """{"targets":{"a":1},"on_final":["cb"],"deadline_ms":0}""", "deadline_ms", "out_of_range" },
        { "deadline too large", """{"targets":{"a":1},"on_final":["cb"],"deadline_ms":2592000001}""", "deadline_ms", "out_of_range" },
        { "max_concurrency zero", """{"targets":{"a":1},"on_final":["cb"],"max_concurrency":0}""", "max_concurrency", "out_of_range" },
        { "max_concurrency negative", """{"targets":{"a":1},"on_final":["cb"],"max_concurrency":-3}""", "max_concurrency", "out_of_range" },
        { "empty CID", """{"targets":{"a":1},"on_final":["cb"],"cid":""}""", "the CID is empty", "invalid_cid" },
        { "no targets", """{"targets":{},"on_final":["cb"]}""", "at least one target or call is required", "missing_field" },
        { "no final callback", """{"targets":{"a":1}}""", "a fan-out needs at least one final callback", "missing_field" },
        { "unknown field", """{"targets":{"a":1},"on_final":["cb"],"deadline":5}""", "unknown field 'deadline'", "unknown_field" },
        { "broker-reserved target", """{"targets":{"amq.gen-x":{}},"on_final":["my.callback1"]}""", "are reserved by RabbitMQ", "invalid_service_name" },
        { "broker-reserved callback", """{"targets":{"a":1},"on_final":["amq.direct"]}""", "are reserved by RabbitMQ", "invalid_service_name" },
        { "broker-reserved call service", """{"calls":[{"service":"AMQ.x","request":1}],"on_final":["cb"]}""", "are reserved by RabbitMQ", "invalid_service_name" },
    };

    [Theory]
    [MemberData(nameof(JsonCases))]
    public async Task The_gateway_answers_400_with_the_one_problem(string kind, string json, string problem, string code)
    {
        var refused = Problem(await Submit(json));

        Assert.Equal(StatusCodes.Status400BadRequest, refused.StatusCode);
        var error = Assert.Single(Errors(refused));
        Assert.True(error.Message.Contains(problem), $"{kind}: {refused.ProblemDetails.Detail}");
        Assert.Equal(code, error.Code);
    }

    [Theory]
    [MemberData(nameof(JsonCases))]
    public void The_cli_refuses_the_file_with_the_one_problem(string kind, string json, string problem, string code)
    {
        var parsed = RunRequests.FromCommandLine(new CommandLineRun { File = JsonDocument.Parse(json).RootElement },
            RunRequestShape.Fanout, "cli", TimeProvider.System);

        // What the file itself gets wrong is prefixed "--file: "; what is wrong with the run as a whole is not.
        Assert.True(Assert.Single(parsed.Problems).Contains(problem), $"{kind}: {string.Join("; ", parsed.Problems)}");
        Assert.Equal(code, Assert.Single(parsed.Errors).Code);
    }

    [Theory]
    [MemberData(nameof(JsonCases))]
    public void The_plain_json_intake_refuses_the_message_with_the_one_problem(string kind, string json, string problem, string code)
    {
        var parsed = RunRequests.FromJson(JsonDocument.Parse(json).RootElement, RunRequestShape.Message, "amqp",
            TimeProvider.System);

        Assert.True(Assert.Single(parsed.Problems).Contains(problem), $"{kind}: {string.Join("; ", parsed.Problems)}");
        Assert.Equal(code, Assert.Single(parsed.Errors).Code);
    }

    [Theory]
    [InlineData("broker-reserved target", "amq.gen-x", "cb", null, null, "service name 'amq.gen-x' is invalid")]
    [InlineData("broker-reserved callback", "a", "amq.topic", null, null, "final callback: service name 'amq.topic' is invalid")]
    [InlineData("empty key", "", "cb", null, null, "a service name is empty")]
    [InlineData("invalid target name", "bad name", "cb", null, null, "service name 'bad name' is invalid")]
    [InlineData("invalid callback name", "a", "my callback", null, null, "final callback: service name 'my callback' is invalid")]
    [InlineData("deadline too small", "a", "cb", 0L, null, "deadline_ms must be between 1 and")]
    [InlineData("deadline too large", "a", "cb", 2_592_000_001L, null, "deadline_ms must be between 1 and")]
    [InlineData("max_concurrency zero", "a", "cb", null, 0, "max_concurrency must be between 1 and 100000")]
    [InlineData("max_concurrency negative", "a", "cb", null, -3, "max_concurrency must be between 1 and 100000")]
    public async Task The_csharp_api_throws_before_sending(string kind, string target, string callback, long? deadlineMs, int? maxConcurrency,
        string problem)
    {
        // The client validates before it touches the bus, so none is needed here.
        var client = new PatternsClient(null!, "csharp", TimeSpan.FromSeconds(1), null!, null!, TimeProvider.System);

        var refused = await Assert.ThrowsAsync<FanoutRequestException>(() => client.Fanout.InvokeAsync(
            new Dictionary<string, object?> { [target] = 1 }, [callback],
            options: new RunOptions { DeadlineMs = deadlineMs, MaxConcurrency = maxConcurrency }));

        Assert.Equal(FanoutRejected.InvalidRequest, refused.Code);
        Assert.True(Assert.Single(refused.Problems).Contains(problem), $"{kind}: {refused.Message}");
    }

    [Fact]
    public async Task The_csharp_api_refuses_duplicate_and_too_many_callbacks()
    {
        var client = new PatternsClient(null!, "csharp", TimeSpan.FromSeconds(1), null!, null!, TimeProvider.System);

        var duplicate = await Assert.ThrowsAsync<FanoutRequestException>(() =>
            client.Fanout.InvokeAsync(new Dictionary<string, object?> { ["a"] = 1 }, ["cb", "cb"]));
        var tooMany = await Assert.ThrowsAsync<FanoutRequestException>(() =>
            client.Fanout.InvokeAsync(new Dictionary<string, object?> { ["a"] = 1 }, Enumerable.Range(0, 65).Select(i => $"cb{i}")));

        Assert.Contains("final callback 'cb' is listed more than once", Assert.Single(duplicate.Problems));
        Assert.Contains("65 final callbacks given; the limit is 64", Assert.Single(tooMany.Problems));
    }

    static async Task<IResult> Submit(string body) =>
        (await FanoutRoutes.SubmitFanout(Post(body), Json, NoOrchestrator, TimeProvider.System)).Result;
}
