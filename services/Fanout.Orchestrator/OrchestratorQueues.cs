using Fanout.Bus.Hosting.Calls;

namespace Fanout.Orchestrator;

/// <summary>
/// Queues the orchestrator listens on (the <c>fanout.</c> prefix is reserved, so no service can take them).
/// </summary>
public static class OrchestratorQueues
{
    /// <summary>The saga: <c>InvokeFanout</c> (MassTransit envelope) and batched results.</summary>
    public const string Saga = "fanout.orchestrator";

    /// <summary>
    /// <c>TargetCompleted</c> events, batched per CID before they reach the saga, and single-run <c>CallsCompleted</c>;
    /// any number of orchestrators consume it.
    /// </summary>
    public const string Completions = "fanout.completions";

    /// <summary>Service hosts' result batches; one orchestrator consumes it at a time (<see cref="ResultQueue"/>).
    /// </summary>
    public const string Results = ResultQueue.Name;

    /// <summary>Status and list queries (<c>GetFanoutStatus</c>, <c>ListFanouts</c>).</summary>
    public const string Queries = "fanout.queries";

    /// <summary>Plain-JSON <c>InvokeFanout</c> from any AMQP client (the management UI included).</summary>
    public const string Intake = "fanout.invoke";
}
