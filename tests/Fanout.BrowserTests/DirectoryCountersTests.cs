using System.Net;
using System.Text;
using System.Text.Json;
using Fanout.BrowserTests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Fanout.BrowserTests;

/// <summary>The services page's call counters and queues, and the FIFO page's lease.</summary>
[Collection(DashboardCollection.Name)]
public sealed class DirectoryCountersTests(DashboardSystem system)
{
    [Fact]
    public async Task The_services_page_shows_calls_per_minute_failures_and_the_queue()
    {
        var cid = await system.StartRunAsync(new
        {
            cid = "count-" + Guid.NewGuid().ToString("N")[..12],
            calls = new object[]
            {
                new { key = "ok", service = "service1", request = new { hello = "count" } },
                new { key = "boom", service = "sample.failing", request = new { hello = "count" } },
            },
            on_final = new[] { "my.callback1" },
        });
        await Eventually.Until(() => system.RunAsync(cid), run => run.GetProperty("state").GetString() != "running",
            $"run {cid} to end");

        // Hosts announce every 5 s: the page shows what the last announcement said, so reload until it came.
        var page = await system.OpenAsync("#/services");
        var failing = page.Locator("#service-totals tr[data-service='sample.failing']");
        await Eventually.Until(async () =>
        {
            await Task.Delay(500);
            await page.ReloadAsync();
            await Expect(failing).ToBeVisibleAsync();
            return await failing.Locator("[data-field='failures_last_minute']").TextContentAsync();
        }, text => long.TryParse(text, out var n) && n >= 1, "sample.failing's failures to be shown",
            TimeSpan.FromSeconds(30));

        var service1 = page.Locator("#service-totals tr[data-service='service1']");
        Assert.True(long.Parse((await service1.Locator("[data-field='calls_last_minute']").TextContentAsync())!) >= 1);
        Assert.Equal("0", await service1.Locator("[data-field='in_flight']").TextContentAsync());
        await Expect(page.Locator("[data-queues='reachable']")).ToBeVisibleAsync();
        Assert.True(int.Parse((await service1.Locator("[data-field='consumers']").TextContentAsync())!) >= 1);
    }

    [Fact]
    public async Task The_fifo_page_shows_the_running_order_s_worker_and_its_lease_with_the_fencing_token()
    {
        var fifo = DashboardSystem.FifoLines[1];
        var response = await system.Gateway.Http.PostAsync($"/v1/orders?fifo={fifo}",
            new StringContent("""{"work_ms": 6000}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var orderId = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement
            .GetProperty("order_id").GetString();
        var line = await Eventually.Until(async () => JsonDocument.Parse(
                await system.Gateway.Http.GetStringAsync("/v1/fifos")).RootElement.GetProperty("lines")
                .EnumerateArray().Single(l => l.GetProperty("fifo").GetString() == fifo),
            l => l.GetProperty("running").ValueKind == JsonValueKind.Object
                && l.GetProperty("running").GetProperty("order_id").GetString() == orderId,
            $"order {orderId} to run", TimeSpan.FromSeconds(30));
        var holder = line.GetProperty("lease").GetProperty("holder").GetString()!;
        var token = line.GetProperty("lease").GetProperty("token").GetInt64();

        var page = await system.OpenAsync("#/fifo");

        var section = page.Locator($"section[data-fifo='{fifo}']");
        await Expect(section.Locator("[data-lease='held']"))
            .ToContainTextAsync($"Lease held by {holder} with fencing token {token}");
        await Expect(section.Locator($"[data-running='{orderId}']")).ToContainTextAsync($"(fencing token {token})");
        await Expect(section.Locator($"tr[data-order='{orderId}'] td").Nth(8)).ToHaveTextAsync(token.ToString());
    }
}
