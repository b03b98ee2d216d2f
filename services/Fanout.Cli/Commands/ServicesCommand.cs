using System.CommandLine;
using Fanout.Cli.Broker;
using Spectre.Console;

namespace Fanout.Cli.Commands;

/// <summary><c>fanout services</c>: every durable queue on the broker with its consumers and depth.</summary>
public sealed class ServicesCommand : CliCommand
{
    static readonly Option<string?> Management = new("--management")
    {
        Description = "Management API URL (default: the broker's host on port 15672, same user and password)",
        HelpName = "url",
    };

    public ServicesCommand(CliConsole console) : base(console, "services", """
        Show the queues of services, callbacks, the orchestrator and the FIFOs: consumers, ready and unacknowledged
        messages. Reads RabbitMQ's management API; says so when it cannot be reached. Temporary queues are left out.
        """, examples: "fanout services\n" +
            "fanout services --json | jq '.[] | select(.consumers == 0)'\n" +
            "fanout services --management http://broker.internal:15672")
    {
        Add(Management);
    }

    protected override async Task<int> ExecuteAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var broker = Broker(parse);
        var api = ManagementApi.For(broker, parse.GetValue(Management));
        var vhost = broker.Nodes.VirtualHost;
        var queues = (await api.QueuesAsync(vhost, cancellationToken))
            .Where(q => !q.AutoDelete && !q.Exclusive)
            .OrderBy(q => q.Name, StringComparer.Ordinal)
            .ToList();
        if (Console.Json)
        {
            Console.WriteJson(queues.Select(q =>
                new { queue = q.Name, consumers = q.Consumers, ready = q.Ready, unacknowledged = q.Unacknowledged }));
            return ExitCodes.Ok;
        }

        var table = new Table().AddColumns("queue", "consumers", "ready", "unacked");
        foreach (var q in queues)
            table.AddRow(Markup.Escape(q.Name), q.Consumers == 0 ? "[red]0[/]" : q.Consumers.ToString(),
                q.Ready.ToString(), q.Unacknowledged.ToString());
        Console.Human.Write(table);
        Console.Human.MarkupLine(
            $"[grey]{queues.Count} queues on vhost {Markup.Escape(vhost)} " +
            $"from {Markup.Escape(api.BaseUri.ToString())}[/]");
        return ExitCodes.Ok;
    }
}
