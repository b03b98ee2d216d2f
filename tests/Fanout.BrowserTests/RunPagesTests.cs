using System.Text.RegularExpressions;
using Fanout.BrowserTests.Support;
using Fanout.IntegrationTests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Fanout.BrowserTests;

/// <summary>The runs list and one run's page in chromium, against the running system.</summary>
[Collection(DashboardCollection.Name)]
public sealed class RunPagesTests(DashboardSystem system)
{
    static readonly LocatorAssertionsToHaveTextOptions Live = new() { Timeout = 30_000 };

    static object Calls(string prefix, int ok, int failing, string? absent = null, long? deadlineMs = null)
    {
        var calls = Enumerable.Range(1, ok)
            .Select(i => new Dictionary<string, object> { ["key"] = $"ok-{i}", ["service"] = "service1",
                ["request"] = new { hello = $"{prefix}-{i}" } })
            .Concat(Enumerable.Range(1, failing).Select(i => new Dictionary<string, object>
            {
                ["key"] = $"fail-{i}", ["service"] = "sample.failing", ["request"] = new { hello = $"{prefix}-{i}" },
            }))
            .ToList();
        if (absent is not null)
            calls.Add(new Dictionary<string, object> { ["key"] = "waits", ["service"] = absent,
                ["request"] = new { hello = prefix } });
        var body = new Dictionary<string, object?>
        {
            ["cid"] = $"{prefix}-{Guid.NewGuid():N}"[..32], ["calls"] = calls, ["deadline_ms"] = deadlineMs,
            ["on_final"] = new[] { "my.callback1" },
        };
        return body;
    }

    /// <summary>Needs GET /v1/events: without the stream the list does not change until a reload.</summary>
    [Fact]
    public async Task A_run_started_over_http_appears_in_the_list_without_a_reload()
    {
        var page = await system.OpenAsync("#/runs");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Runs" })).ToBeVisibleAsync();
        await Expect(page.Locator("#live-status")).ToHaveTextAsync("live", Live);

        var cid = await system.StartRunAsync(Calls("appears", ok: 2, failing: 0));

        await Expect(page.Locator($"tr[data-cid='{cid}']")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Expect(page.Locator($"tr[data-cid='{cid}'] .state")).ToHaveTextAsync("completed", Live);
    }

    /// <summary>
    /// A run that starts and ends while the list is still loading is listed once it loaded: the page listens before
    /// it loads. (It once subscribed after its first load and lost the events that came in between.)
    /// </summary>
    [Fact]
    public async Task A_run_that_ends_while_the_list_loads_is_listed_without_a_reload()
    {
        var fetched = new TaskCompletionSource();
        var release = new TaskCompletionSource();
        var page = await system.OpenAsync("#/runs", prepare: page => page.RouteAsync(new Regex(@"/v1/fanouts\?"),
            async route =>
            {
                if (fetched.Task.IsCompleted)
                {
                    await route.ContinueAsync();
                    return;
                }

                // The first list is read before the run starts and handed to the page only after it ended.
                var before = await route.FetchAsync();
                fetched.TrySetResult();
                await release.Task;
                await route.FulfillAsync(new() { Response = before });
            }));
        await fetched.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await Expect(page.Locator("#live-status")).ToHaveTextAsync("live", Live);

        var run = (Dictionary<string, object?>)Calls("while-loading", ok: 2, failing: 0);
        var cid = (string)run["cid"]!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var events = await EventStreamClient.OpenAsync(system.Gateway.Http, $"?cid={cid}",
            cancellationToken: timeout.Token);
        await system.StartRunAsync(run);
        var ended = (await events.ReadUntilAsync(item => item.Data.Contains("\"state\":\"completed\"")))[^1];
        // The page has the run's last event in hand (and, subscribed after its load, would have dropped it).
        await page.WaitForFunctionAsync(
            $"Number(document.documentElement.dataset.lastEventId) >= {ended.EventId}");
        release.SetResult();

        await Expect(page.Locator($"tr[data-cid='{cid}'] .state")).ToHaveTextAsync("completed", Live);
    }

    /// <summary>The run page follows a run that is open when the page loads until it ends (needs GET /v1/events).
    /// One target waits on a service no host serves, so the run ends at its deadline.</summary>
    [Fact]
    public async Task A_run_page_follows_its_run_live_until_it_ends()
    {
        var cid = await system.StartRunAsync(Calls("follows", ok: 2, failing: 0, absent: "sample.absent",
            deadlineMs: 8_000));
        var page = await system.OpenAsync($"#/run/{cid}");
        await Expect(page.Locator("#run-state")).ToHaveTextAsync("running");
        await Expect(page.Locator("#live-status")).ToHaveTextAsync("live", Live);

        await Expect(page.Locator("#run-state")).ToHaveTextAsync("timed_out", Live);
        await Expect(page.Locator("tr[data-key='ok-1'] td").Nth(2)).ToHaveTextAsync("completed");
        await Expect(page.Locator("tr[data-key='waits'] td").Nth(2)).ToHaveTextAsync("timed_out");
    }

    [Fact]
    public async Task Cancel_from_the_page_ends_a_running_run_as_cancelled()
    {
        var cid = await system.StartRunAsync(Calls("cancel", ok: 1, failing: 0, absent: "sample.absent"));
        var page = await system.OpenAsync($"#/run/{cid}");
        await Expect(page.Locator("#run-state")).ToHaveTextAsync("running");

        await page.GetByRole(AriaRole.Button, new() { Name = "Cancel run…" }).ClickAsync();
        // Asks first: keeping it changes nothing.
        await page.GetByRole(AriaRole.Button, new() { Name = "Keep it running" }).ClickAsync();
        Assert.Equal("running", (await system.RunAsync(cid)).GetProperty("state").GetString());
        await page.GetByRole(AriaRole.Button, new() { Name = "Cancel run…" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Yes, cancel the run" }).ClickAsync();

        await Expect(page.Locator("#run-state")).ToHaveTextAsync("cancelled", Live);
        Assert.Equal("cancelled", (await system.RunAsync(cid)).GetProperty("state").GetString());
    }

    [Fact]
    public async Task The_failed_only_switch_shows_exactly_the_failing_targets()
    {
        var cid = await system.StartRunAsync(Calls("failed", ok: 3, failing: 2));
        await Eventually.Until(() => system.RunAsync(cid), run => run.GetProperty("state").GetString() != "running",
            $"run {cid} to end");
        var page = await system.OpenAsync($"#/run/{cid}");
        await Expect(page.Locator("#targets tbody tr")).ToHaveCountAsync(5);

        await page.GetByLabel("Failed only").CheckAsync();

        await Expect(page.Locator("#targets tbody tr")).ToHaveCountAsync(2);
        var keys = await page.Locator("#targets tbody tr").EvaluateAllAsync<string[]>(
            "rows => rows.map(r => r.dataset.key).sort()");
        Assert.Equal(["fail-1", "fail-2"], keys);
        Assert.Contains("failed=1", page.Url);
        await page.GetByText("Show exception").First.ClickAsync();
        await Expect(page.Locator("#targets details pre").First).ToContainTextAsync("refuses");
    }
}
