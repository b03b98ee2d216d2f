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
/// and defers; the partner posts the result to the gateway with this target's completion token.
/// Registered as batchJobA, batchJobB and batchJobC, each with a partner endpoint of its own.
/// </summary>
public sealed class BatchJobService(IHttpClientFactory http, BatchSettings settings, ILogger<BatchJobService> logger)
    : FanoutService<BatchJobRequest, object?>
{
    public override async Task<object?> HandleAsync(BatchJobRequest request, ServiceContext context)
    {
        var partner = $"{settings.Url.TrimEnd('/')}/partners/{context.ServiceName}/jobs";
        var response = await http.CreateClient().PostAsJsonAsync(partner, new PartnerJob(
            context.Cid, request.JobId, request.WaitMs, request.Parameters, context.CallbackUrl!, context.CompletionToken!),
            context.CancellationToken);
        if (response.StatusCode != HttpStatusCode.Accepted)
            throw new InvalidOperationException($"partner {partner} answered {(int)response.StatusCode} instead of 202");
        logger.LogInformation("Job {JobId} of {Cid} accepted by {Partner}", request.JobId, context.Cid, partner);
        context.Defer();
        return null;
    }
}

/// <summary>What a partner system receives: enough to do the work and report back.</summary>
public sealed record PartnerJob(
    [property: JsonPropertyName("cid")] string Cid,
    [property: JsonPropertyName("job_id")] string JobId,
    [property: JsonPropertyName("wait_ms")] int WaitMs,
    [property: JsonPropertyName("parameters")] JsonElement? Parameters,
    [property: JsonPropertyName("callback_url")] string CallbackUrl,
    [property: JsonPropertyName("completion_token")] string CompletionToken);
