using Fanout.Bus;
using Fanout.Storage;

namespace Fanout.Fifo;

/// <summary>Bound from <c>Fanout:Fifo</c>; the database also comes from <c>FANOUT_ORDERS_DATABASE</c>.</summary>
public sealed class FifoSettings
{
    public const string Section = "Fanout:Fifo";
    public const string DatabaseVariable = "FANOUT_ORDERS_DATABASE";
    public const string DefaultFifo = "orders";

    /// <summary>
    /// A SQLite connection string or plain file path, or a PostgreSQL one (<c>Host=...</c> or a
    /// <c>postgres://</c> URL): see <see cref="DatabaseSetting"/>.
    /// </summary>
    public string Database { get; set; } = "Data Source=orders.db";

    /// <summary>How many times a failing handler is retried before the order is discarded.</summary>
    public int Retries { get; set; } = 3;

    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Instead of discarding an order whose handler keeps failing, keep retrying it and hold the line.
    /// </summary>
    public bool StopTheLine { get; set; }

    /// <summary>
    /// How long a FIFO line's lease lasts unrenewed (renewed every third of it while its holder works): the longest a
    /// standby waits after the active worker died. A worker that cannot renew cancels its handler a sixth of it before
    /// the lease expires.
    /// </summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(10);

    public DatabaseProvider Provider => DatabaseSetting.ProviderOf(Database);
}

/// <summary>Queue names of the FIFO part.</summary>
public static class FifoQueues
{
    /// <summary>
    /// Submissions and discards, one at a time across all processes (arrival order is submission order).
    /// </summary>
    public const string Registry = "fanout.orders";

    public const string Queries = "fanout.order-queries";

    /// <summary>The queue a FIFO's orders wait in; a single active consumer takes them one at a time.</summary>
    public static string For(string fifo) => $"fifo.{fifo}";

    /// <summary>Send address that declares the queue exactly as the workers do.</summary>
    public static Uri Address(QueueAddresses addresses, string fifo) =>
        addresses.For(For(fifo), "singleactiveconsumer=true");
}
