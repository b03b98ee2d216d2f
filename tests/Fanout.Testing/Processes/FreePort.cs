using System.Net;
using System.Net.Sockets;

namespace Fanout.Testing.Processes;

public static class FreePort
{
    /// <summary>A loopback URL on a port nothing listens on right now.</summary>
    public static string LoopbackUrl()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return $"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}";
    }
}
