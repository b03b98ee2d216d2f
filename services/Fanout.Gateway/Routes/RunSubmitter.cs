using Fanout.Bus.Coalescing;
using Fanout.Contracts;
using MassTransit;

namespace Fanout.Gateway.Routes;

/// <summary>
/// Carries the runs of concurrent <c>POST /v1/fanouts</c> and <c>POST /v1/parallel</c> to the orchestrator together:
/// what arrives while <see cref="MaxInFlight"/> requests are out leaves as one <see cref="InvokeFanouts"/>, so under
/// load one bus round trip (and one saga commit) serves many runs, while a lone submission leaves at once. Each caller
/// gets its own run's answer (accepted or rejected), or the request's failure (a timeout becomes the route's 503).
/// </summary>
internal sealed class RunSubmitter(IBus bus, GatewaySettings settings)
    : CoalescingSubmitter<InvokeFanout, FanoutAnswer, InvokeFanouts, FanoutsAnswered>(
        bus, settings.OrchestratorTimeout, MaxInFlight, MaxBatch, MaxBatchBytes)
{
    /// <summary>Bus requests out at once; more submissions wait and go together.</summary>
    const int MaxInFlight = 4;

    /// <summary>Most runs in one request: as many as the saga's write group commits together.</summary>
    const int MaxBatch = 64;

    /// <summary>
    /// Most body bytes in one request (a larger run goes alone), well under RabbitMQ's message size limit.
    /// </summary>
    const long MaxBatchBytes = 1024 * 1024;

    /// <param name="run">The run, its CID set.</param>
    /// <param name="bytes">Its request body's length; null (unknown) sends it alone.</param>
    /// <param name="cancellationToken">The caller's: ends its wait, not the request its run is in.</param>
    public Task<FanoutAnswer> SubmitRunAsync(InvokeFanout run, long? bytes, CancellationToken cancellationToken) =>
        SubmitAsync(run, bytes, cancellationToken);

    protected override InvokeFanouts Request(IReadOnlyList<InvokeFanout> batch) => new() { Runs = batch };

    protected override IReadOnlyList<FanoutAnswer> Answers(FanoutsAnswered response) => response.Answers;
}
