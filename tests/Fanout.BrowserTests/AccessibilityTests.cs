using System.Net;
using System.Text;
using System.Text.Json;
using Deque.AxeCore.Playwright;
using Fanout.BrowserTests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Fanout.BrowserTests;

/// <summary>
/// An axe scan of every page, each showing a finished run with a failing target and a finished order: no serious or
/// critical violation. The pages are photographed for the docs (<c>.run/ui/</c>).
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed class AccessibilityTests(DashboardSystem system)
{
    static Task<string>? _seeded;

    /// <summary>One run (one ok, one failing target) and one order, both ended; the CID of the run.</summary>
    async Task<string> SeedAsync()
    {
        var cid = await system.StartRunAsync(new
        {
            cid = "axe-" + Guid.NewGuid().ToString("N")[..12],
            calls = new object[]
            {
                new { key = "greeting", service = "service1", request = new { hello = "axe" } },
                new { key = "refusal", service = "sample.failing", request = new { hello = "axe" } },
            },
            on_final = new[] { "my.callback1" },
        });
        var response = await system.Gateway.Http.PostAsync("/v1/orders?fifo=invoices",
            new StringContent("""{"work_ms": 200}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        await Eventually.Until(() => system.RunAsync(cid), run => run.GetProperty("state").GetString() != "running",
            $"run {cid} to end");
        await Eventually.Until(async () => JsonDocument.Parse(
                await system.Gateway.Http.GetStringAsync("/v1/orders?fifo=invoices")).RootElement.GetProperty("items"),
            items => items.EnumerateArray().All(o => o.GetProperty("status").GetString() == "done"), "the order to end",
            TimeSpan.FromSeconds(30));
        return cid;
    }

    [Theory]
    [InlineData("#/runs", "Runs", "runs.png")]
    [InlineData("#/run/", "Run", "run.png")]
    [InlineData("#/overview", "Overview", "overview.png")]
    [InlineData("#/services", "Services", "services.png")]
    [InlineData("#/fifo", "FIFO lines", "fifo.png")]
    public async Task Each_page_passes_an_axe_scan_without_serious_or_critical_violations(string hash, string heading,
        string screenshot)
    {
        var cid = await (_seeded ??= SeedAsync());
        if (hash == "#/run/")
            hash += cid;

        var page = await system.OpenAsync(hash);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync(heading);
        if (hash.StartsWith("#/run/"))
            await page.GetByText("Show exception").First.ClickAsync();
        var result = await page.RunAxe();

        var blocking = result.Violations.Where(v => v.Impact is "serious" or "critical")
            .Select(v => $"{v.Id} ({v.Impact}): {v.Help} at {string.Join(", ", v.Nodes.Select(n => n.Target))}")
            .ToList();
        Assert.True(blocking.Count == 0, string.Join("\n", blocking));
        await page.ScreenshotAsync(new()
        {
            Path = Path.Combine(DashboardSystem.ScreenshotDirectory, screenshot), FullPage = true,
        });
    }
}
