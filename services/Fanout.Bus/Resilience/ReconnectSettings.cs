namespace Fanout.Bus.Resilience;

/// <summary>
/// How a process gets its receive endpoints back after the broker went away: <c>Fanout:Reconnect:*</c>.
/// </summary>
public sealed class ReconnectSettings
{
    /// <summary>
    /// A receive endpoint that has not been consuming for this long is restarted, and again after each further
    /// interval: so it reconnects within about this long of the broker's return, however long the outage. Zero leaves
    /// reconnecting to MassTransit alone (its back-off grows to 30 s).
    /// </summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// <c>/health/live</c> turns unhealthy when an endpoint has not been consuming for this long while another endpoint
    /// of the same process is (the broker is there, so this process is stuck: restart it), and the process exits unless
    /// <see cref="ExitWhenStuck"/> is false.
    /// </summary>
    public TimeSpan StuckAfter { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// A stuck process (see <see cref="StuckAfter"/>) logs a critical line naming its endpoints and exits with
    /// <see cref="ReceiveEndpointSupervisor.StuckExitCode"/>, so that whatever runs it starts it again; false leaves
    /// that to a supervisor watching <c>/health/live</c>.
    /// </summary>
    public bool ExitWhenStuck { get; set; } = true;

    /// <summary>
    /// AMQP heartbeat: a connection whose broker stopped answering is dropped after about twice this.
    /// </summary>
    public TimeSpan Heartbeat { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Longest wait for one publish or send (with publisher confirms) before it is abandoned and retried.
    /// </summary>
    public TimeSpan PublishTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Tries per publish or send before the failure reaches the caller.</summary>
    public int PublishAttempts { get; set; } = 3;
}
