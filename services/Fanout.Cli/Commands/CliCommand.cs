using System.CommandLine;
using Fanout.Bus.Patterns;
using Fanout.Cli.Broker;

namespace Fanout.Cli.Commands;

/// <summary>
/// A command per class: options as static fields, the work in <see cref="ExecuteAsync"/>. Failures become one line
/// on stderr and an exit code from <see cref="ExitCodes"/>.
/// </summary>
public abstract class CliCommand : Command
{
    public static readonly Option<string?> RabbitMq = new("--rabbitmq")
    {
        Description = "Broker URL, or a cluster's node URLs comma-separated " +
            $"(default: $FANOUT_RABBITMQ, else {BrokerAddress.Default})",
        HelpName = "amqp-url",
        Recursive = true,
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("FANOUT_RABBITMQ"),
    };

    public static readonly Option<bool> Json = new("--json")
    {
        Description = "Machine output: JSON on stdout, human text on stderr",
        Recursive = true,
    };

    protected CliCommand(CliConsole console, string name, string description, string examples) : base(name, description)
    {
        Console = console;
        HelpWithExamples.With(this, examples);
        SetAction(RunAsync);
    }

    protected CliConsole Console { get; }

    protected abstract Task<int> ExecuteAsync(ParseResult parse, CancellationToken cancellationToken);

    protected static BrokerAddress Broker(ParseResult parse) => BrokerAddress.Parse(parse.GetValue(RabbitMq));

    async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        Console.Json = parse.GetValue(Json);
        try
        {
            return await ExecuteAsync(parse, cancellationToken);
        }
        catch (CliException ex)
        {
            Console.Fail(ex.Message);
            return ex.ExitCode;
        }
        catch (MassTransit.RequestTimeoutException)
        {
            Console.Fail("no answer from the orchestrator in time; is it running on this broker?");
            return ExitCodes.Unavailable;
        }
        catch (FanoutRequestException ex)
        {
            Console.Fail($"refused: {ex.Message}");
            return ExitCodes.Failed;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Console.Fail("interrupted");
            return ExitCodes.Failed;
        }
    }
}
