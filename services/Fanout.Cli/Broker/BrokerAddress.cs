using System.Net.Sockets;

namespace Fanout.Cli.Broker;

/// <summary>The <c>--rabbitmq</c> URL, checked before MassTransit (which would retry forever) is started.</summary>
public sealed record BrokerAddress(Uri Uri)
{
    public const string Default = "amqp://guest:guest@localhost:5672/";

    public string Host => Uri.Host;
    public int Port => Uri.IsDefaultPort || Uri.Port <= 0 ? 5672 : Uri.Port;

    /// <summary>The URL without its password, for messages.</summary>
    public string Display => $"{Uri.Scheme}://{Host}:{Port}{Uri.AbsolutePath}";

    public static BrokerAddress Parse(string? url)
    {
        url = string.IsNullOrWhiteSpace(url) ? Default : url.Trim();
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("amqp" or "amqps") || uri.Host.Length == 0)
            throw CliException.Usage($"--rabbitmq: '{url}' is not an amqp:// URL (for example {Default})");
        return new BrokerAddress(uri);
    }

    /// <summary>Fails fast with one line when nothing listens at the broker's address.</summary>
    public async Task ProbeAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var client = new TcpClient();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await client.ConnectAsync(Host, Port, deadline.Token);
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            var reason = ex is SocketException socket ? socket.SocketErrorCode.ToString() : $"no answer within {timeout.TotalSeconds:0} s";
            throw CliException.Unavailable($"cannot reach RabbitMQ at {Host}:{Port} ({reason}); start one with 'make rabbitmq' or pass --rabbitmq");
        }
    }
}
