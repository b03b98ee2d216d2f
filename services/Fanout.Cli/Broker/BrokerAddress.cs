using System.Net.Sockets;
using Fanout.Bus;

namespace Fanout.Cli.Broker;

/// <summary>
/// The <c>--rabbitmq</c> setting — one amqp URL or a cluster's nodes, comma-separated
/// (<see cref="RabbitMqNodes"/>) — checked before MassTransit (which would retry forever) is started.
/// </summary>
public sealed record BrokerAddress(string Setting, RabbitMqNodes Nodes)
{
    public const string Default = "amqp://guest:guest@localhost:5672/";

    /// <summary>The first node's URL: credentials, vhost, and the host the management API is looked for on.</summary>
    public Uri Uri => Nodes.Primary;

    public string Host => Uri.Host;
    public int Port => RabbitMqNodes.PortOf(Uri);

    /// <summary>The node URLs without the password, for messages.</summary>
    public string Display => Nodes.Display;

    public static BrokerAddress Parse(string? setting)
    {
        setting = string.IsNullOrWhiteSpace(setting) ? Default : setting.Trim();
        try
        {
            return new BrokerAddress(setting, RabbitMqNodes.Parse(setting, "--rabbitmq"));
        }
        catch (FormatException ex)
        {
            throw CliException.Usage(ex.Message);
        }
    }

    /// <summary>Fails fast with one line when no node listens; one listening node of a cluster is enough.</summary>
    public async Task ProbeAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var reasons = new List<string>();
        foreach (var node in Nodes.Urls)
        {
            var port = RabbitMqNodes.PortOf(node);
            using var client = new TcpClient();
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(timeout);
            try
            {
                await client.ConnectAsync(node.Host, port, deadline.Token);
                return;
            }
            catch (Exception ex) when (ex is SocketException
                or OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                var reason = ex is SocketException socket
                    ? socket.SocketErrorCode.ToString()
                    : $"no answer within {timeout.TotalSeconds:0} s";
                reasons.Add($"{node.Host}:{port} ({reason})");
            }
        }

        throw CliException.Unavailable($"cannot reach RabbitMQ at {string.Join(", ", reasons)}; " +
            "start one with 'make rabbitmq' or pass --rabbitmq");
    }
}
