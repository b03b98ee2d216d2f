namespace Fanout.Bus.Hosting.Calls;

/// <summary>
/// The queue service hosts send their result batches (<c>CallsCompletedForRuns</c>) to. On RabbitMQ it has a single
/// active consumer: however many orchestrators share a database, one applies every run's results (so two never
/// queue on one run's row lock) and the others stand by; when it stops or dies, the broker hands the queue, and the
/// deliveries it had not acknowledged, to the next.
/// </summary>
public static class ResultQueue
{
    public const string Name = "fanout.results";

    /// <summary>Send address that declares the queue exactly as the orchestrators do.</summary>
    public static Uri Address(QueueAddresses addresses) => addresses.For(Name, "singleactiveconsumer=true");
}
