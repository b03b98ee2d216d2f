using Fanout.Cli;
using Fanout.Cli.Input;

namespace Fanout.Tests.Cli;

/// <summary><c>--map SERVICE --requests FILE</c> and the run policies of <c>fanout invoke</c> / <c>fanout parallel</c>.</summary>
public sealed class MapOptionTests : IDisposable
{
    const string NoBroker = "amqp://guest:guest@127.0.0.1:1/";
    readonly string _file = Path.Combine(Path.GetTempPath(), $"fanout-map-{Guid.NewGuid():N}.jsonl");

    public void Dispose() => File.Delete(_file);

    async Task<CliRun> Run(string lines, string args)
    {
        await File.WriteAllTextAsync(_file, lines);
        return await CliRun.Of([.. args.Replace("FILE", _file).Split(' '), "--rabbitmq", NoBroker]);
    }

    [Theory]
    [InlineData("{\"id\":1}\n{\"id\":", "invoke --map resize --requests FILE --on-final cb", "--requests FILE: line 2: not valid JSON")]
    [InlineData("{\"id\":1}", "invoke --map resize --on-final cb", "--map SERVICE and --requests")]
    [InlineData("{\"id\":1}", "invoke --requests FILE --on-final cb", "--map SERVICE and --requests")]
    [InlineData("\n\n", "invoke --map resize --requests FILE --on-final cb", "no requests (one JSON value per line)")]
    [InlineData("{\"id\":1}\n{\"name\":2}", "invoke --map resize --requests FILE --key-field id --on-final cb", "--key-field: line 2 of FILE has no string or number field 'id'")]
    [InlineData("{\"id\":1}\n{\"id\":1}", "invoke --map resize --requests FILE --key-field id --on-final cb", "given more than once: '1'")]
    [InlineData("{\"id\":1}", "invoke --map bad^name --requests FILE --on-final cb", "calls[0]: service name 'bad^name' is invalid")]
    [InlineData("{\"id\":1}", "invoke --map resize --requests FILE --on-final cb --retry 11", "retry.attempts must be between 1 and 10")]
    [InlineData("{\"id\":1}", "invoke --map resize --requests FILE --on-final cb --retry-delay 1s", "--retry-delay needs --retry N")]
    [InlineData("{\"id\":1}", "invoke --map resize --requests FILE --on-final cb --retry 2 --retry-delay later", "--retry-delay: 'later' is not a duration")]
    [InlineData("{\"id\":1}", "invoke --map resize --requests FILE --on-final cb --fail-fast --quorum 1", "fail_fast and quorum cannot be combined")]
    [InlineData("{\"id\":1}", "parallel --map resize --requests FILE --callback cb --quorum 2", "quorum must be between 1 and the number of targets and calls (1); got 2")]
    public async Task Bad_map_input_exits_2_with_one_line(string lines, string args, string message)
    {
        var run = await Run(lines, args);

        Assert.Equal((ExitCodes.Usage, ""), (run.ExitCode, run.Out));
        Assert.Contains(message.Replace("FILE", _file), Assert.Single(run.ErrLines));
    }

    [Theory]
    [InlineData("invoke --map resize --requests FILE --key-field id --retry 3 --retry-delay 200ms --fail-fast --on-final cb")]
    [InlineData("parallel --map resize --requests FILE --quorum 2 --callback cb --target audit")]
    public async Task Good_map_input_gets_as_far_as_the_broker(string args)
    {
        var run = await Run("{\"id\":\"a\"}\n\n{\"id\":\"b\"}\n", args);

        Assert.Equal(ExitCodes.Unavailable, run.ExitCode);
    }

    [Fact]
    public void Each_line_is_one_call_keyed_by_default_or_by_the_key_field()
    {
        const string lines = "{\"id\":\"img-1\",\"w\":1}\n\n{\"id\":7}\n";

        var byDefault = RequestLines.Read("resize", new StringReader(lines), "items.jsonl", keyField: null);
        var byField = RequestLines.Read("resize", new StringReader(lines), "items.jsonl", keyField: "id");

        Assert.Equal([null, null], byDefault.Select(c => c.Key));
        Assert.Equal(["img-1", "7"], byField.Select(c => c.Key));
        Assert.All(byField, c => Assert.Equal("resize", c.Service));
        Assert.Equal(1, byField[0].Request!.Value.GetProperty("w").GetInt32());
    }
}
