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
        var links = Inodes(localPort).Select(inode => $"socket:[{inode}]").ToHashSet();
        if (links.Count == 0)
            return null;
        foreach (var pid in candidatePids)
        {
            try
            {
                if (Directory.EnumerateFiles($"/proc/{pid}/fd").Any(fd => new FileInfo(fd).LinkTarget is { } target
                                                                          && links.Contains(target)))
                    return pid;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // The process ended or hides its descriptors: not the owner we can prove.
            }
        }

        return null;
    }

    /// <summary>
    /// The socket inodes of connections from <paramref name="localPort"/> (columns: local address:port, …, inode). The
    /// port may also be another host's connection's or a closed one's (inode 0): every live one is a candidate.
    /// </summary>
    static IEnumerable<string> Inodes(int localPort)
    {
        foreach (var table in new[] { "/proc/net/tcp", "/proc/net/tcp6" })
            foreach (var line in File.ReadLines(table).Skip(1))
            {
                var columns = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                var port = int.Parse(columns[1].Split(':')[1], NumberStyles.HexNumber);
                if (port == localPort && columns[9] != "0")
                    yield return columns[9];
            }
    }
}
