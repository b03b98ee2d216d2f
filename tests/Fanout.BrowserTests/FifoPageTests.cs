using System.Net;
using System.Text;
using System.Text.Json;
using Fanout.BrowserTests.Support;
using static Microsoft.Playwright.Assertions;

namespace Fanout.BrowserTests;

/// <summary>The FIFO page follows orders through their statuses (needs GET /v1/events).</summary>
[Collection(DashboardCollection.Name)]
public sealed class FifoPageTests(DashboardSystem system)
{
    async Task<string> SubmitAsync(string fifo, int workMs)
    {
        var response = await system.Gateway.Http.PostAsync($"/v1/orders?fifo={fifo}",
            new StringContent(JsonSerializer.Serialize(new { work_ms = workMs }), Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement
            .GetProperty("order_id").GetString()!;
    }

    [Fact]
    public async Task An_order_moves_from_standby_to_processing_to_done_on_the_page()
    {
        var fifo = DashboardSystem.FifoLines[1];
        var page = await system.OpenAsync("#/fifo");
        await Expect(page.Locator("#live-status")).ToHaveTextAsync("live", new() { Timeout = 30_000 });

        // The first order holds the line, so the second waits in standby while the page watches.
        var first = await SubmitAsync(fifo, workMs: 4_000);
        var second = await SubmitAsync(fifo, workMs: 4_000);
        var status = page.Locator($"tr[data-order='{second}'] [data-status]");
        var seen = new List<string>();
        await Eventually.Until(async () =>
        {
            if (await status.CountAsync() == 1 && await status.TextContentAsync() is { } text && !seen.Contains(text))
                seen.Add(text);
            return seen;
        }, s => s.Contains("done"), $"order {second} to show done", TimeSpan.FromSeconds(40), s => string.Join(",", s));

        Assert.Equal(["standby", "processing", "done"], seen);
        Assert.NotNull(first);
    }
}
