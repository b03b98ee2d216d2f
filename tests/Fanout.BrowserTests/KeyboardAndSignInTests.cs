using Fanout.BrowserTests.Support;
using Fanout.IntegrationTests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Fanout.BrowserTests;

/// <summary>The dashboard used with the keyboard alone, and behind an API key.</summary>
[Collection(DashboardCollection.Name)]
public sealed class KeyboardAndSignInTests(DashboardSystem system)
{
    static readonly LocatorAssertionsToHaveTextOptions Live = new() { Timeout = 30_000 };

    /// <summary>
    /// Presses Tab until the focused element matches the CSS <paramref name="selector"/>; fails after 300 presses.
    /// </summary>
    static async Task TabTo(IPage page, string selector)
    {
        for (var i = 0; i < 300; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            if (await page.EvaluateAsync<bool>("s => document.activeElement?.matches(s) ?? false", selector))
                return;
        }
        Assert.Fail($"Tab never reached {selector}");
    }

    [Fact]
    public async Task A_run_is_opened_and_cancelled_with_the_keyboard_alone()
    {
        // One target waits on a service nobody hosts, so the run stays open until it is cancelled.
        var cid = await system.StartRunAsync(new
        {
            cid = "keys-" + Guid.NewGuid().ToString("N")[..12],
            calls = new object[]
            {
                new { key = "ok", service = "service1", request = new { hello = "keys" } },
                new { key = "waits", service = "sample.absent", request = new { hello = "keys" } },
            },
            on_final = new[] { "my.callback1" },
        });
        var page = await system.OpenAsync("#/runs");
        await Expect(page.Locator($"tr[data-cid='{cid}']")).ToBeVisibleAsync();

        await TabTo(page, $"tr[data-cid='{cid}'] a");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("#run-state")).ToHaveTextAsync("running");
        Assert.EndsWith($"#/run/{cid}", page.Url);

        await TabTo(page, "#cancel-run");
        await Expect(page.Locator("#cancel-run")).ToHaveTextAsync("Cancel run…");
        await page.Keyboard.PressAsync("Enter");
        // The question takes the focus on its safe answer; the other answer is one Shift+Tab before it.
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Keep it running" })).ToBeFocusedAsync();
        Assert.Equal("running", (await system.RunAsync(cid)).GetProperty("state").GetString());
        await page.Keyboard.PressAsync("Shift+Tab");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Yes, cancel the run" })).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Enter");

        await Expect(page.Locator("#run-state")).ToHaveTextAsync("cancelled", Live);
        Assert.Equal("cancelled", (await system.RunAsync(cid)).GetProperty("state").GetString());
    }

    [Fact]
    public async Task A_gateway_with_a_key_asks_for_it_refuses_a_wrong_one_and_opens_the_runs_with_the_right_one()
    {
        const string key = "ui-test-key-7f3a";
        await using var keyed = await GatewayHost.StartAsync(system.RabbitMqUrl, GatewayHost.FreeUrl(), apiKey: key);
        var cid = await system.StartRunAsync(new
        {
            cid = "key-" + Guid.NewGuid().ToString("N")[..12],
            calls = new object[] { new { key = "ok", service = "service1", request = new { hello = "key" } } },
            on_final = new[] { "my.callback1" },
        });

        var page = await system.OpenAsync("#/runs", keyed);
        var dialog = page.GetByRole(AriaRole.Dialog, new() { Name = "API key required" });
        await Expect(dialog).ToBeVisibleAsync();
        await Expect(page.Locator("#key-input")).ToBeFocusedAsync();

        await page.Keyboard.TypeAsync("not-the-key");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("#key-error")).ToHaveTextAsync("That key was refused.");
        await Expect(dialog).ToBeVisibleAsync();

        await page.Locator("#key-input").FillAsync(key);
        await page.Keyboard.PressAsync("Enter");
        await Expect(dialog).ToBeHiddenAsync();
        await Expect(page.Locator($"tr[data-cid='{cid}']")).ToBeVisibleAsync();
        // The cookie now stands for the key, for the API and the live stream alike.
        await Expect(page.Locator("#live-status")).ToHaveTextAsync("live", Live);
    }
}
