using System.Net;
using System.Text;
using System.Text.Json;
using Fanout.IntegrationTests.Support;
using Fanout.Testing.Processes;
using Microsoft.Playwright;

namespace Fanout.BrowserTests.Support;

/// <summary>
/// The system as <c>make up</c> runs it, once for every browser test: a virtual host of its own on the real
/// RabbitMQ (<c>FANOUT_RABBITMQ</c>), the orchestrator, the sample services and a FIFO worker as processes with
/// SQLite files, the gateway on a loopback port, and one headless chromium.
/// </summary>
public sealed class DashboardSystem : IAsyncLifetime
{
    readonly RabbitMqBroker _broker = new();
    readonly string _vhost = "ui-" + Guid.NewGuid().ToString("N")[..12];
    readonly TestDirectory _directory = new();
    readonly List<ServiceProcess> _processes = [];
    GatewayHost? _gateway;
    IPlaywright? _playwright;

    /// <summary>The FIFO lines the worker serves: one for the page photographed, one for the status test.</summary>
    public static readonly string[] FifoLines = ["invoices", "line-ui"];

    public GatewayHost Gateway => _gateway ?? throw new InvalidOperationException("not started");

    /// <summary>The broker URL of this system's virtual host, for a second gateway.</summary>
    public string RabbitMqUrl { get; private set; } = "";
    public IBrowser Browser { get; private set; } = null!;

    /// <summary>Where the screenshots go: <c>.run/ui/</c> in the repository.</summary>
    public static string ScreenshotDirectory => Path.Combine(BuildOutput.RepositoryRoot, ".run", "ui");

    public async Task InitializeAsync()
    {
        await _broker.InitializeAsync();
        var url = RabbitMqUrl = await _broker.CreateVirtualHostAsync(_vhost);
        var environment = new Dictionary<string, string>
        {
            ["FANOUT_RABBITMQ"] = url,
            ["FANOUT_DATABASE"] = _directory.File("fanout.db"),
            ["FANOUT_ORDERS_DATABASE"] = _directory.File("orders.db"),
        };
        var fifo = new Dictionary<string, string>(environment);
        for (var i = 0; i < FifoLines.Length; i++)
            fifo[$"Fanout__Fifo__Queues__{i}"] = FifoLines[i];
        var starting = new[]
        {
            ServiceProcess.Start("Fanout.Orchestrator", environment),
            ServiceProcess.Start("Fanout.Samples", environment, "services"),
            ServiceProcess.Start("Fanout.Samples", fifo, "fifo"),
        };
        _processes.AddRange(starting);
        foreach (var process in starting)
            await process.WaitForOutput("Bus started", TimeSpan.FromSeconds(90));
        _gateway = await GatewayHost.StartAsync(url, GatewayHost.FreeUrl());
        _playwright = await Playwright.CreateAsync();
        Browser = await Chromium.LaunchAsync(_playwright);
        Directory.CreateDirectory(ScreenshotDirectory);
    }

    /// <summary>
    /// Opens the dashboard at <paramref name="hash"/> (on another <paramref name="gateway"/> if given);
    /// <paramref name="prepare"/> runs before it loads.
    /// </summary>
    public async Task<IPage> OpenAsync(string hash, GatewayHost? gateway = null, Func<IPage, Task>? prepare = null)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = (gateway ?? Gateway).Url, ViewportSize = new ViewportSize { Width = 1280, Height = 860 },
        });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(30_000);
        if (prepare is not null)
            await prepare(page);
        await page.GotoAsync("/ui/" + hash);
        return page;
    }

    /// <summary>POSTs a run and returns its CID.</summary>
    public async Task<string> StartRunAsync(object body, string path = "/v1/fanouts")
    {
        var response = await Gateway.Http.PostAsync(path,
            new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"{(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.GetProperty("cid").GetString()!;
    }

    public async Task<JsonElement> RunAsync(string cid) =>
        JsonDocument.Parse(await Gateway.Http.GetStringAsync($"/v1/fanouts/{cid}")).RootElement;

    public async Task DisposeAsync()
    {
        if (Browser is not null)
            await Browser.CloseAsync();
        _playwright?.Dispose();
        if (_gateway is not null)
            await _gateway.DisposeAsync();
        // Each process's output stays beside the screenshots: what a failed browser test shows has its cause here.
        for (var i = 0; i < _processes.Count; i++)
        {
            await File.WriteAllTextAsync(Path.Combine(ScreenshotDirectory, $"process-{i}.log"),
                _processes[i].Stdout + _processes[i].Stderr);
            _processes[i].Dispose();
        }
        await _broker.DeleteVirtualHostAsync(_vhost);
        await _broker.DisposeAsync();
        _directory.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class DashboardCollection : ICollectionFixture<DashboardSystem>
{
    public const string Name = "dashboard";
}
