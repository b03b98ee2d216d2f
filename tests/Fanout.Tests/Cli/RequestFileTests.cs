using Fanout.Cli;

namespace Fanout.Tests.Cli;

/// <summary><c>--file</c> is read like the gateway's body: a field it does not know is a usage error naming it.</summary>
public class RequestFileTests
{
    const string NoBroker = "amqp://guest:guest@127.0.0.1:1/";

    [Theory]
    [InlineData("invoke", """{"targets":{"a":1},"on_final":["cb"],"deadline":60000}""", "fanout: --file: unknown field 'deadline' (did you mean 'deadline_ms'?)")]
    [InlineData("invoke", """{"targets":{"a":1},"on_final":["cb"],"calls":{}}""", "fanout: --file: 'calls' must be an array of calls")]
    [InlineData("parallel", """{"targets":{"a":1},"callbacks":["cb"],"on_final":["fin"]}""", "fanout: --file: field 'on_final' does not belong in a parallel request")]
    public async Task A_field_the_request_does_not_take_exits_2_naming_it(string command, string json, string message)
    {
        var file = Path.Combine(Path.GetTempPath(), $"fanout-cli-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, json);
        try
        {
            var run = await CliRun.Of(command, "--file", file, "--rabbitmq", NoBroker);

            Assert.Equal((ExitCodes.Usage, ""), (run.ExitCode, run.Out));
            Assert.StartsWith(message, Assert.Single(run.ErrLines));
        }
        finally
        {
            File.Delete(file);
        }
    }
}
