using System.Text.Json;
using Fanout.Bus.Logging;
using Fanout.Contracts;
using Fanout.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace Fanout.Tests.Logging;

/// <summary>Every line written while a message is handled names its fan-out and target; the console format is one JSON object per line.</summary>
public class LoggingTests
{
    [Fact]
    public void Fields_come_from_the_message_or_the_payload_it_wraps()
    {
        var completed = new TargetCompleted { Cid = "c1", Target = "svc.a", Ok = true };
        Assert.Equal("cid=c1 target=svc.a", LogFields.From(completed).ToString());

        var callback = new TargetCallbackRequested
        {
            Callback = "cb.one", Channel = Channels.FanoutOnTarget,
            Payload = new TargetResultPayload { Cid = "c2", Source = "s", Target = "svc.b", Ok = true },
        };
        Assert.Equal("cid=c2 target=svc.b callback=cb.one", LogFields.From(callback).ToString());

        Assert.Empty(LogFields.From(new { Other = "x" }));
    }

    [Fact]
    public async Task Lines_written_while_handling_a_message_carry_its_cid_and_target()
    {
        var logs = new CapturedLogs();
        await using var bus = await EmbeddedBus.StartAsync(logging: l => l.AddProvider(logs).SetMinimumLevel(LogLevel.Information));
        var cid = await bus.Patterns.Fanout.InvokeAsync(new Dictionary<string, object?> { ["t.boom"] = 1 }, ["cb.final1"]);
        await bus.Recorder.WaitFor(all => all.Any(i => i.Service == "cb.final1" && i.Cid == cid));

        var raised = Assert.Single(logs.Lines, l => l.Message.Contains("raised InvalidOperationException"));
        Assert.Equal((cid, "t.boom"), (raised.Scope["cid"], raised.Scope["target"]));
        var started = Assert.Single(logs.Lines, l => l.Message.StartsWith($"Fan-out {cid} ") && l.Message.Contains("started"));
        Assert.Equal(cid, started.Scope["cid"]);
    }

    [Fact]
    public void The_console_format_is_one_json_object_per_line_with_scopes()
    {
        var line = Render(new Dictionary<string, string?>());
        Assert.DoesNotContain('\n', line.TrimEnd());
        var json = JsonDocument.Parse(line).RootElement;
        Assert.Equal("Information", json.GetProperty("LogLevel").GetString());
        Assert.Equal("Target t.a of c9 said \"hi\" <ok>", json.GetProperty("Message").GetString());
        Assert.Contains("said \\\"hi\\\" <ok>", line); // readable: not \u0022 nor \u003C
        var scope = json.GetProperty("Scopes")[0];
        Assert.Equal(("c9", "t.a"), (scope.GetProperty("cid").GetString(), scope.GetProperty("target").GetString()));
    }

    [Fact]
    public void FANOUT_LOG_FORMAT_text_gives_a_single_plain_line_with_the_scope()
    {
        var line = Render(new Dictionary<string, string?> { [FanoutLogging.FormatVariable] = "text" });
        Assert.DoesNotContain('\n', line.TrimEnd());
        Assert.StartsWith("info: ", line.Split(' ', 2)[1]);
        Assert.Contains("=> cid=c9 target=t.a", line);
        Assert.Contains("Target t.a of c9 said \"hi\" <ok>", line);
    }

    /// <summary>One line through the console formatter the host's configuration selects.</summary>
    static string Render(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        using var provider = new ServiceCollection().AddLogging(l => l.AddFanoutLogging(configuration)).BuildServiceProvider();
        var name = provider.GetRequiredService<Microsoft.Extensions.Options.IOptions<ConsoleLoggerOptions>>().Value.FormatterName;
        var formatter = provider.GetServices<ConsoleFormatter>().Single(f => f.Name == name);

        var scopes = new LoggerExternalScopeProvider();
        using var _ = scopes.Push(LogFields.Of(("cid", "c9"), ("target", "t.a")));
        var entry = new LogEntry<string>(LogLevel.Information, "Fanout.Test", new EventId(0), "Target t.a of c9 said \"hi\" <ok>", null, (s, _) => s);
        using var writer = new StringWriter();
        formatter.Write(in entry, scopes, writer);
        return writer.ToString();
    }
}
