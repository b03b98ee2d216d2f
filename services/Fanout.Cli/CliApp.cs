using System.CommandLine;
using Fanout.Cli.Commands;

namespace Fanout.Cli;

/// <summary>The <c>fanout</c> command tree, and running it with one-line errors and named exit codes.</summary>
public static class CliApp
{
    public static RootCommand Build(CliConsole console)
    {
        var root = new RootCommand("""
            fanout: invoke, inspect and follow Fanout.Bus runs and FIFO orders over RabbitMQ. Needs only the broker
            address (--rabbitmq or FANOUT_RABBITMQ); the orchestrator and the FIFO registry answer over the bus.
            """)
        {
            InvokeCommand.Fanout(console),
            InvokeCommand.Parallel(console),
            new StatusCommand(console),
            new ListCommand(console),
            new TailCommand(console),
            OrdersCommand.Create(console),
            new ServicesCommand(console),
        };
        HelpWithExamples.With(root,
            "fanout invoke --target service1='{\"hello\":1}' --on-final my.callback1 --wait\n" +
            "fanout tail\n" +
            "fanout status <cid>\n" +
            "fanout orders submit '{\"customer\":\"acme\"}'");
        root.Add(CliCommand.RabbitMq);
        root.Add(CliCommand.Json);
        HelpWithExamples.Install(root);
        return root;
    }

    public static async Task<int> RunAsync(string[] args, CliConsole console, CancellationToken cancellationToken)
    {
        var parse = Build(console).Parse(args);
        if (parse.Errors.Count > 0 && parse.Action is not HelpWithExamples)
        {
            // One line per problem, then where to look; not the whole help text.
            foreach (var error in parse.Errors)
                console.Fail(System.Text.RegularExpressions.Regex.Replace(error.Message, @"\s*\n\s*", " "));
            console.Error.WriteLine($"Try '{string.Join(' ', CommandPath(parse))} --help'.");
            return ExitCodes.Usage;
        }

        return await parse.InvokeAsync(
            new InvocationConfiguration { Output = console.Output, Error = console.Error }, cancellationToken);
    }

    static IEnumerable<string> CommandPath(ParseResult parse)
    {
        var names = new Stack<string>();
        for (var result = parse.CommandResult; result is not null;
             result = result.Parent as System.CommandLine.Parsing.CommandResult)
            names.Push(result.Command is RootCommand ? "fanout" : result.Command.Name);
        return names;
    }
}
