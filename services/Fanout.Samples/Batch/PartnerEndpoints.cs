using System.Net.Http.Json;

namespace Fanout.Samples.Batch;

/// <summary>
/// Stand-ins for the external systems of the reference: each accepts a job with 202 at once, works for the job's
/// wait time, then posts its result to the gateway's callback URL with the completion token.
/// </summary>
public static class PartnerEndpoints
{
    public static void MapPartners(this IEndpointRouteBuilder app) =>
        app.MapPost("/partners/{name}/jobs", (string name, PartnerJob job, IHttpClientFactory http, ILoggerFactory logs,
            TimeProvider time) =>
        {
            var logger = logs.CreateLogger("Partner." + name);
            _ = Task.Run(async () =>
            {
                await Task.Delay(job.WaitMs);
                var request = new HttpRequestMessage(HttpMethod.Post, job.CallbackUrl)
                {
                    Content = JsonContent.Create(new
                    {
                        ok = true,
                        response = new
                        {
                            job_id = job.JobId, partner = name, worked_ms = job.WaitMs,
                            finished_ts_utc = time.GetUtcNow().UtcDateTime,
                        },
                    }),
                };
                request.Headers.Add("X-Completion-Token", job.CompletionToken);
                try
                {
                    var response = await http.CreateClient().SendAsync(request);
                    logger.LogInformation("Posted result of {JobId} ({Cid}): {Status}", job.JobId, job.Cid, (int)response.StatusCode);
                }
                catch (HttpRequestException ex)
                {
                    logger.LogWarning("Could not post result of {JobId} ({Cid}): {Error}", job.JobId, job.Cid, ex.Message);
                }
            });
            return Results.Accepted();
        });
}
