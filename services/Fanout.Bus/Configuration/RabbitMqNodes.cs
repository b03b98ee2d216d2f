namespace Fanout.Bus;

/// <summary>
/// The broker setting (<c>FANOUT_RABBITMQ</c> / <c>Fanout:RabbitMq</c>): one amqp URL, or the nodes of one cluster as
/// comma-separated amqp URLs that share scheme, user, password and vhost
/// (<c>amqp://guest:guest@rabbit1:5672/,amqp://guest:guest@rabbit2:5672/</c>). The first URL gives the credentials and
/// vhost; every URL's host and port become a cluster node, tried in order when a connection is made or lost.
/// </summary>
public sealed class RabbitMqNodes
{
    const string Example = "amqp://guest:guest@rabbit1:5672/,amqp://guest:guest@rabbit2:5672/";

    RabbitMqNodes(Uri primary, IReadOnlyList<Uri> urls)
    {
        Primary = primary;
        Urls = urls;
    }

    /// <summary>The first URL: credentials, vhost and the node tried first.</summary>
    public Uri Primary { get; }

    /// <summary>Every node's URL, in the order given.</summary>
    public IReadOnlyList<Uri> Urls { get; }

    /// <summary>
    /// <c>host:port</c> of each node, as MassTransit's <c>UseCluster(c =&gt; c.Node(...))</c> takes them.
    /// </summary>
    public IReadOnlyList<string> Nodes => Urls.Select(u => $"{u.Host}:{PortOf(u)}").ToList();

    public bool IsCluster => Urls.Count > 1;

    /// <summary>The vhost every node shares ("/" by default).</summary>
    public string VirtualHost =>
        Primary.AbsolutePath.Trim('/') is { Length: > 0 } path ? Uri.UnescapeDataString(path) : "/";

    /// <summary>The nodes without the password, for log lines and error messages.</summary>
    public string Display => string.Join(",", Urls.Select(Redact));

    public static int PortOf(Uri url) =>
        url.IsDefaultPort || url.Port <= 0 ? (url.Scheme == "amqps" ? 5671 : 5672) : url.Port;

    /// <summary>
    /// Reads the setting; a malformed list fails with a message that names the bad entry and shows the form.
    /// </summary>
    public static RabbitMqNodes Parse(string setting, string settingName = FanoutBusSettings.RabbitMqVariable)
    {
        if (string.IsNullOrWhiteSpace(setting))
            throw new FormatException($"{settingName} is empty; give an amqp URL, or a cluster's nodes as {Example}");
        var entries = setting.Split(',', StringSplitOptions.TrimEntries);
        var urls = new List<Uri>(entries.Length);
        for (var i = 0; i < entries.Length; i++)
        {
            var entry = entries[i];
            var which = entries.Length == 1 ? "" : $" node {i + 1} of {entries.Length}";
            if (entry.Length == 0)
                throw new FormatException(
                    $"{settingName}:{which} is empty (a stray comma?); list the nodes as {Example}");
            if (!Uri.TryCreate(entry, UriKind.Absolute, out var url) || url.Scheme is not ("amqp" or "amqps")
                || url.Host.Length == 0)
                throw new FormatException(
                    $"{settingName}:{which} '{RedactText(entry)}' is not an amqp:// URL; list the nodes as {Example}" +
                    " (percent-encode a comma in a password as %2C)");
            urls.Add(url);
        }

        var first = urls[0];
        foreach (var (url, index) in urls.Select((u, i) => (u, i)).Skip(1))
        {
            if (url.Scheme != first.Scheme || url.UserInfo != first.UserInfo
                || url.AbsolutePath.TrimEnd('/') != first.AbsolutePath.TrimEnd('/'))
                throw new FormatException(
                    $"{settingName}: node {index + 1} '{Redact(url)}' differs from node 1 '{Redact(first)}' " +
                    "in scheme, user, password or vhost; " +
                    "the nodes of one cluster share them, only host and port differ");
        }

        var duplicate = urls.GroupBy(u => $"{u.Host}:{PortOf(u)}", StringComparer.OrdinalIgnoreCase)
            .FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new FormatException($"{settingName}: node {duplicate.Key} is listed twice");
        return new RabbitMqNodes(first, urls);
    }

    static string Redact(Uri url)
    {
        var user = url.UserInfo.Split(':', 2)[0];
        return $"{url.Scheme}://{(user.Length > 0 ? user + "@" : "")}{url.Host}:{PortOf(url)}{url.AbsolutePath}";
    }

    /// <summary>Hides a password in text that did not parse as a URL.</summary>
    static string RedactText(string entry)
    {
        var at = entry.LastIndexOf('@');
        var colon = at < 0 ? -1 : entry.IndexOf(':', entry.IndexOf("//", StringComparison.Ordinal) + 2);
        return colon >= 0 && colon < at ? entry[..(colon + 1)] + "***" + entry[at..] : entry;
    }
}
