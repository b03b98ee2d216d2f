using Deque.AxeCore.Playwright;
using Fanout.BrowserTests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Fanout.BrowserTests;

/// <summary>An axe scan of every page: no serious or critical violation.</summary>
[Collection(DashboardCollection.Name)]
public sealed class AccessibilityTests(DashboardSystem system)
{
    [Theory]
    [InlineData("#/runs", "Runs", "runs.png")]
    [InlineData("#/overview", "Overview", "overview.png")]
    [InlineData("#/services", "Services", "services.png")]
    [InlineData("#/fifo", "FIFO lines", "fifo.png")]
    [InlineData("#/run/", "Run", null)]
    public async Task Each_page_passes_an_axe_scan_without_serious_or_critical_violations(string hash, string heading,
        string? screenshot)
    {
        if (hash == "#/run/")
        {
            var cid = await system.StartRunAsync(new
            {
                cid = "axe-" + Guid.NewGuid().ToString("N")[..12],
                calls = new object[]
                {
                    new { key = "ok-1", service = "service1", request = new { hello = "axe" } },
                    new { key = "fail-1", service = "sample.failing", request = new { hello = "axe" } },
                },
            });
            hash += cid;
        }

        var page = await system.OpenAsync(hash);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync(heading);
        var result = await page.RunAxe();

        var blocking = result.Violations.Where(v => v.Impact is "serious" or "critical")
            .Select(v => $"{v.Id} ({v.Impact}): {v.Help} at {string.Join(", ", v.Nodes.Select(n => n.Target))}")
            .ToList();
        Assert.True(blocking.Count == 0, string.Join("\n", blocking));
        // The runs and FIFO pages are photographed by their own tests, once they show a run or an order.
        if (screenshot is "overview.png" or "services.png")
            await page.ScreenshotAsync(new() { Path = Path.Combine(DashboardSystem.ScreenshotDirectory, screenshot),
                FullPage = true });
    }
}
