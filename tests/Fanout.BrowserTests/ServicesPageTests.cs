using Fanout.BrowserTests.Support;
using static Microsoft.Playwright.Assertions;

namespace Fanout.BrowserTests;

/// <summary>The service directory on the page (needs GET /v1/services and run warnings).</summary>
[Collection(DashboardCollection.Name)]
public sealed class ServicesPageTests(DashboardSystem system)
{
    [Fact]
    public async Task The_services_page_lists_the_sample_hosts()
    {
        var page = await system.OpenAsync("#/services");

        foreach (var service in new[] { "service1", "service2", "sample.failing", "my.callback1" })
            await Expect(page.Locator($"tr[data-service='{service}']").First).ToBeVisibleAsync();
    }

    [Fact]
    public async Task A_run_naming_a_missing_service_shows_its_warning()
    {
        var cid = await system.StartRunAsync(new
        {
            cid = "warn-" + Guid.NewGuid().ToString("N")[..12],
            calls = new object[] { new { key = "typo", service = "servce1", request = new { hello = "warn" } } },
            on_final = new[] { "my.callback1" },
            deadline_ms = 60_000,
        });

        var page = await system.OpenAsync($"#/run/{cid}");

        await Expect(page.Locator("dl.facts")).ToContainTextAsync("no live host serves 'servce1'");
    }
}
