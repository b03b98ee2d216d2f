using System.Text.Json;
using System.Text.Json.Serialization;
using Fanout.Bus.Patterns;

namespace Fanout.Samples.Batch;

public sealed record OrderBody([property: JsonPropertyName("parameters")] JsonElement? Parameters);

/// <summary>
/// The reference order intake: an order is stored as a fan-out of three batch jobs (deadline 540,000 ms by default)
/// and answered 202 with the order document at once; its progress is the fan-out's status in the gateway.
/// </summary>
public static class OrderEndpoints
{
    public static void MapOrders(this IEndpointRouteBuilder app) =>
        app.MapPost("/orders", async (OrderBody order, IFanoutPatterns patterns, BatchSettings settings,
            CancellationToken cancellationToken) =>
        {
            var cid = "order-" + Guid.NewGuid().ToString("N")[..12];
            var jobs = settings.WaitMs.ToDictionary(j => j.Key,
                j => new BatchJobRequest($"{cid}-{j.Key}", j.Value, order.Parameters));
            try
            {
                await patterns.Fanout.InvokeAsync(jobs.ToDictionary(j => j.Key, j => (object?)j.Value),
                    finalCallbacks: ["sample.order-completed"], targetCallbacks: ["sample.job-finished"], cid: cid,
                    options: new RunOptions { DeadlineMs = settings.DeadlineMs }, cancellationToken: cancellationToken);
            }
            catch (FanoutRequestException ex)
            {
                return Results.Problem(ex.Message, statusCode: StatusCodes.Status400BadRequest);
            }

            return Results.Accepted($"/v1/fanouts/{cid}", new
            {
                cid,
                parameters = order.Parameters,
                deadline_ms = settings.DeadlineMs,
                jobs = jobs.ToDictionary(j => j.Key,
                    j => new { job_id = j.Value.JobId, wait_ms = j.Value.WaitMs, status = "processing" }),
                status_url = $"/v1/fanouts/{cid}",
            });
        });
}
