using System.CommandLine;
using Fanout.Cli.Broker;
using Fanout.Contracts;
using Spectre.Console;

namespace Fanout.Cli.Commands;

/// <summary>
/// <c>fanout services</c>: the services live processes host, from the orchestrator's directory; with
/// <c>--queues</c>, every durable queue on the broker with its consumers and depth.
/// </summary>
public sealed class ServicesCommand : CliCommand
{
    static readonly Option<bool> Queues = new("--queues")
    {
        Description = "Show the broker's queues (consumers, ready, unacknowledged) from RabbitMQ's management API",
    };

    static readonly Option<string?> Management = new("--management")
    {
        Description = "With --queues: management API URL "
            + "(default: the broker's host on port 15672, same user and password)",
        HelpName = "url",
    };

    public ServicesCommand(CliConsole console) : base(console, "services", """
        Show the services that live processes host: each instance's host, process id, version, call concurrency,
        start and when it was last heard from (every host announces itself every 5 s; one not heard from for three
        announcements is left out), with its calls as of then: running, and finished and failed in the last minute
        ("-" for a host that does not report them). Asks the orchestrator.
        With --queues: the queues of services, callbacks, the orchestrator and the FIFOs instead, with consumers,
        ready and unacknowledged messages, from RabbitMQ's management API (temporary queues left out).
        """, examples: "fanout services\nfanout services --json | jq -r '.services[].service'\n" +
        "fanout services --queues\n" +
        "fanout services --queues --json | jq '.[] | select(.consumers == 0)'\n" +
        "fanout services --queues --management http://broker.internal:15672")
    {
        Add(Queues);
        Add(Management);
    }

    protected override Task<int> ExecuteAsync(ParseResult parse, CancellationToken cancellationToken) =>
        parse.GetValue(Queues) ? QueuesAsync(parse, cancellationToken) : DirectoryAsync(parse, cancellationToken);

    async Task<int> DirectoryAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        await using var bus = await CliBus.ConnectAsync(Broker(parse), cancellationToken);
        var list = await bus.RequestAsync<ListServices, ServiceList>(new ListServices(), "the orchestrator",
            cancellationToken);
        if (Console.Json)
        {
            Console.WriteJson(list);
            return ExitCodes.Ok;
        }

        if (list.Services.Count == 0)
        {
            Console.Human.WriteLine("no live services (no host announced itself in the last 15 s)");
            return ExitCodes.Ok;
        }

        var table = new Table().AddColumns("service", "host", "pid", "version", "concurrency", "in flight",
            "calls/min", "failed/min", "started", "last seen");
        foreach (var service in list.Services)
            foreach (var i in service.Instances)
                table.AddRow(Markup.Escape(service.Service), Markup.Escape(i.Host), i.ProcessId.ToString(),
                    Markup.Escape(i.Version), i.Concurrency.ToString(), Count(i.Calls?.InFlight),
                    Count(i.Calls?.CallsLastMinute), Failures(i.Calls?.FailuresLastMinute),
                    i.StartedAtUtc.ToString("u"), i.LastSeenUtc.ToString("u"));
        Console.Human.Write(table);
        var instances = list.Services.Sum(s => s.Instances.Count);
        Console.Human.MarkupLine($"[grey]{list.Services.Count} services, {instances} instances[/]");
        return ExitCodes.Ok;
    }

    static string Count(long? count) => count?.ToString() ?? "-";

    static string Failures(long? count) => count > 0 ? $"[red]{count}[/]" : Count(count);

    async Task<int> QueuesAsync(ParseResult parse, CancellationToken cancellationToken)
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
