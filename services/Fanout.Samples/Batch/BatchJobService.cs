using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Fanout.Bus.Authoring;

namespace Fanout.Samples.Batch;

public sealed record BatchJobRequest(
    [property: JsonPropertyName("job_id")] string JobId,
    [property: JsonPropertyName("wait_ms")] int WaitMs,
    [property: JsonPropertyName("parameters")] JsonElement? Parameters);

/// <summary>
/// A target whose work happens elsewhere: it hands the job to its partner system over HTTP (which answers 202)
/// and defers. The partner knows only the job id it is given, the target's completion handle, and posts its answer
/// to the gateway's <c>/v1/results</c>. Registered as batchJobA, batchJobB and batchJobC, each with its own partner.
/// </summary>
public sealed class BatchJobService(IHttpClientFactory http, BatchSettings settings, ILogger<BatchJobService> logger)
    : FanoutService<BatchJobRequest, object?>
{
    public override async Task<object?> HandleAsync(BatchJobRequest request, ServiceContext context)
    {
        var partner = $"{settings.Url.TrimEnd('/')}/partners/{context.ServiceName}/jobs";
        var job = new PartnerJob(context.CompletionHandle!, context.Cid, request.WaitMs / 1000.0);
        var response = await http.CreateClient().PostAsJsonAsync(partner, job, context.CancellationToken);
        if (response.StatusCode != HttpStatusCode.Accepted)
            throw new InvalidOperationException(
                $"partner {partner} answered {(int)response.StatusCode} instead of 202");
        logger.LogInformation("Job {JobId} of {Cid} accepted by {Partner}", request.JobId, context.Cid, partner);
        context.Defer();
        return null;
    }
}

/// <summary>What a Qmonus-style partner gets and later posts back unchanged: job id, order, work time (s).</summary>
public sealed record PartnerJob(
    [property: JsonPropertyName("jobId")] string JobId,
    [property: JsonPropertyName("orderId")] string OrderId,
    [property: JsonPropertyName("timeout")] double Timeout);
