using System.Globalization;

namespace Fanout.Chaos.Deployment;

/// <summary>
/// Which of some processes owns the local TCP port of a broker connection (Linux /proc): how the run finds the FIFO
/// worker that is the queue's single active consumer, which the management API names only by connection.
/// </summary>
public static class SocketOwner
{
    public static int? Find(int localPort, IEnumerable<int> candidatePids)
    {
        var inode = Inode(localPort);
        if (inode is null)
            return null;
        var link = $"socket:[{inode}]";
        foreach (var pid in candidatePids)
        {
            try
            {
                if (Directory.EnumerateFiles($"/proc/{pid}/fd").Any(fd => new FileInfo(fd).LinkTarget == link))
                    return pid;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // The process ended or hides its descriptors: not the owner we can prove.
            }
        }

        return null;
    }

    /// <summary>The socket inode of a connection from <paramref name="localPort"/> (columns: local address:port, …, inode).</summary>
    static string? Inode(int localPort)
    {
        foreach (var table in new[] { "/proc/net/tcp", "/proc/net/tcp6" })
            foreach (var line in File.ReadLines(table).Skip(1))
            {
                var columns = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                var port = int.Parse(columns[1].Split(':')[1], NumberStyles.HexNumber);
                if (port == localPort)
                    return columns[9];
            }

        return null;
    }
}
