using System.Text;
using System.Text.Json;

namespace Fanout.Samples.Batch;

/// <summary>
/// Stand-ins for the external systems of the reference, as the seed's mock behaves: each accepts a job
/// <c>{jobId, orderId, timeout}</c> with 202 at once, waits <c>timeout</c> seconds, then posts exactly the body it got
/// to one fixed results URL (the gateway's <c>/v1/results</c>, whose handle field is set to <c>jobId</c>).
/// </summary>
public static class PartnerEndpoints
{
    public static void MapPartners(this IEndpointRouteBuilder app) =>
        app.MapPost("/partners/{name}/jobs", async (string name, HttpRequest request, BatchSettings settings,
            IHttpClientFactory http, ILoggerFactory logs, TimeProvider clock) =>
        {
            var logger = logs.CreateLogger("Partner." + name);
            using var reader = new StreamReader(request.Body, Encoding.UTF8);
            var body = await reader.ReadToEndAsync(request.HttpContext.RequestAborted);
            double timeout;
            try
            {
                using var job = JsonDocument.Parse(body);
                timeout = job.RootElement.GetProperty("timeout").GetDouble();
                if (timeout is < 0 or > 86_400)
                    throw new InvalidOperationException("timeout out of range");
            }
            catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
            {
                return Results.BadRequest(new { error = "send {jobId, orderId, timeout} with timeout in seconds" });
            }

            _ = Task.Run(async () =>
            {
                await Task.Delay(TimeSpan.FromSeconds(timeout), clock);
                try
                {
                    using var content = new StringContent(body, Encoding.UTF8, "application/json");
                    var response = await http.CreateClient().PostAsync(settings.ResultsUrl, content);
                    logger.LogInformation("Posted result after {Timeout} s: {Status}", timeout,
                        (int)response.StatusCode);
                }
                catch (HttpRequestException ex)
                {
                    logger.LogWarning("Could not post result to {Url}: {Error}", settings.ResultsUrl, ex.Message);
                }
            });
            return Results.Accepted();
        });
}
