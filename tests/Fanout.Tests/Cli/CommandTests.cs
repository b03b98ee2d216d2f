using System.Text.Json;
using Fanout.Cli;

namespace Fanout.Tests.Cli;

/// <summary>Help, exit codes and one-line errors of the real commands; none of these needs a broker.</summary>
public class CommandTests
{
    /// <summary>Nothing listens on port 1, so a command that got past its input checks fails as unreachable.</summary>
    const string NoBroker = "amqp://guest:guest@127.0.0.1:1/";

    [Theory]
    [InlineData("--help")]
    [InlineData("invoke --help")]
    [InlineData("parallel --help")]
    [InlineData("status --help")]
    [InlineData("list --help")]
    [InlineData("tail --help")]
    [InlineData("orders --help")]
    [InlineData("orders submit --help")]
    [InlineData("orders list --help")]
    [InlineData("orders show --help")]
    [InlineData("orders discard --help")]
    [InlineData("orders tail --help")]
    [InlineData("services --help")]
    public async Task Every_command_has_help_with_examples(string args)
    {
        var run = await CliRun.Of(args.Split(' '));

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Contains("Usage:", run.Out);
        Assert.Contains("Examples:", run.Out);
        Assert.Contains("  fanout ", run.Out[run.Out.IndexOf("Examples:", StringComparison.Ordinal)..]);
        Assert.Contains("--rabbitmq", run.Out);
        Assert.Contains("--json", run.Out);
    }

    [Fact]
    public async Task The_root_help_lists_every_command_on_one_line_each()
    {
        var run = await CliRun.Of("--help");

        foreach (var command in new[] { "invoke", "parallel", "status <cid>", "list", "tail", "orders", "services" })
            Assert.Contains($"\n  {command} ", run.Out);
    }

    [Theory]
    [InlineData("invoke --target bad^name --on-final cb", "target: service name 'bad^name' is invalid")]
    [InlineData("invoke --target a={\"x\": --on-final cb", "--target a: not valid JSON at line 1")]
    [InlineData("invoke --target a", "a fan-out needs at least one final callback")]
    [InlineData("invoke --on-final cb", "at least one target or call is required")]
    [InlineData("invoke --target a --target a --on-final cb", "'a' is given twice")]
    [InlineData("invoke --target a --on-final bad/name", "final callback: service name 'bad/name' is invalid")]
    [InlineData("invoke --target a --on-final cb --deadline soon", "--deadline: 'soon' is not a duration")]
    [InlineData("invoke --target a --on-final cb --max-concurrency 0", "max_concurrency must be between 1 and 100000; got 0")]
    [InlineData("invoke --file /no/such/file.json --on-final cb", "--file: cannot read '/no/such/file.json'")]
    [InlineData("parallel --target a", "a parallel execution needs at least one callback")]
    [InlineData("list --limit 0", "--limit must be between 1 and 500")]
    [InlineData("orders submit {\"a\":", "parameters: not valid JSON")]
    [InlineData("orders submit", "give the parameters as JSON, or --file")]
    [InlineData("orders submit {} --fifo bad^fifo", "--fifo: service name 'bad^fifo' is invalid")]
    [InlineData("list --rabbitmq http://example.org", "--rabbitmq: 'http://example.org' is not an amqp:// URL")]
    [InlineData("status some-cid --offset -1", "--offset must be 0 or more; got -1")]
    [InlineData("status some-cid --limit 0", "--limit must be at least 1; got 0")]
    public async Task Bad_input_exits_2_with_one_line_saying_what_is_wrong(string args, string message)
    {
        var run = await CliRun.Of(args.Contains("--rabbitmq") ? args.Split(' ') : [.. args.Split(' '), "--rabbitmq", NoBroker]);

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Equal("", run.Out);
        var line = Assert.Single(run.ErrLines);
        Assert.StartsWith("fanout: ", line);
        Assert.Contains(message, line);
    }

    [Theory]
    [InlineData("frobnicate", "Unrecognized command or argument 'frobnicate'")]
    [InlineData("list --state sleeping", "Argument 'sleeping' not recognized")]
    [InlineData("status", "Required argument missing")]
    [InlineData("invoke --wat", "Unrecognized command or argument '--wat'")]
    [InlineData("orders show", "Required argument missing")]
    public async Task Parse_errors_exit_2_and_point_at_the_help(string args, string message)
    {
        var run = await CliRun.Of(args.Split(' '));

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Equal("", run.Out);
        Assert.Contains(run.ErrLines, l => l.StartsWith("fanout: ") && l.Contains(message));
        Assert.StartsWith("Try 'fanout", run.ErrLines[^1]);
    }

    [Theory]
    [InlineData("list")]
    [InlineData("status some-cid")]
    [InlineData("tail --json")]
    [InlineData("invoke --target a --on-final cb")]
    [InlineData("orders list")]
    public async Task An_unreachable_broker_exits_3_with_one_line(string args)
    {
        var run = await CliRun.Of([.. args.Split(' '), "--rabbitmq", NoBroker]);

        Assert.Equal(ExitCodes.Unavailable, run.ExitCode);
        Assert.Equal("", run.Out);
        Assert.Equal("fanout: cannot reach RabbitMQ at 127.0.0.1:1 (ConnectionRefused); start one with 'make rabbitmq' or pass --rabbitmq", Assert.Single(run.ErrLines));
    }

    [Fact]
    public async Task Services_says_when_the_management_api_is_unreachable()
    {
        var run = await CliRun.Of("services", "--queues", "--rabbitmq", NoBroker, "--management", "http://127.0.0.1:1");

        Assert.Equal(ExitCodes.Unavailable, run.ExitCode);
        Assert.Contains("the RabbitMQ management API is not reachable at http://127.0.0.1:1/", Assert.Single(run.ErrLines));
    }

    [Fact]
    public async Task A_request_file_is_read_and_checked_like_the_gateway_body()
    {
        var file = Path.Combine(Path.GetTempPath(), $"fanout-cli-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, JsonSerializer.Serialize(new { targets = new { a = new { x = 1 } }, on_final = new[] { "bad name" } }));
        try
        {
            var run = await CliRun.Of("invoke", "--file", file, "--rabbitmq", NoBroker);

            Assert.Equal(ExitCodes.Usage, run.ExitCode);
            Assert.Contains("final callback: service name 'bad name' is invalid", Assert.Single(run.ErrLines));
        }
        finally
        {
            File.Delete(file);
        }
    }
}
