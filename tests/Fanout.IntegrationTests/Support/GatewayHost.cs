using System.Net;
using System.Net.Sockets;
using Fanout.Bus;
using Fanout.Gateway;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Fanout.IntegrationTests.Support;

/// <summary>The gateway on a free loopback port, over real HTTP, talking to the orchestrator on RabbitMQ.</summary>
public sealed class GatewayHost : IAsyncDisposable
{
    readonly WebApplication _app;

    GatewayHost(WebApplication app, string url)
    {
        _app = app;
        Url = url;
        Http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(60) };
    }

    public string Url { get; }
    public HttpClient Http { get; }

    public static string FreeUrl()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return $"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}";
    }

    public static async Task<GatewayHost> StartAsync(string rabbitMq, string url, string? apiKey = null,
        long? maxBodyBytes = null, IReadOnlyDictionary<string, string?>? extraSettings = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        var settings = new Dictionary<string, string?>
        {
            [FanoutBusSettings.RabbitMqVariable] = rabbitMq,
            ["Fanout:Gateway:Url"] = url,
            ["Fanout:Gateway:OrchestratorTimeout"] = "00:00:20",
        };
        // Absent keys keep the defaults (a null value would bind as 0).
        if (apiKey is not null)
            settings["Fanout:Gateway:ApiKey"] = apiKey;
        if (maxBodyBytes is not null)
            settings["Fanout:Gateway:MaxRequestBodyBytes"] = maxBodyBytes.ToString();
        foreach (var (key, value) in extraSettings ?? new Dictionary<string, string?>())
            settings[key] = value;
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.AddFanoutGateway();
        builder.Services.AddSingleton<IStartupFilter, RemoteAddressFromHeader>();
        builder.Logging.AddFilter("Microsoft.AspNetCore.HttpLogging", LogLevel.Warning); // no line per request in test output
        var app = builder.Build();
        app.MapFanoutGateway();
        await app.StartAsync();
        return new GatewayHost(app, url);
    }

    /// <summary>Header that makes a loopback request look as if it came from another machine.</summary>
    public const string RemoteAddressHeader = "X-Test-Remote-Address";

    /// <summary>Runs before the gateway's middleware: the request then has the address the test named.</summary>
    sealed class RemoteAddressFromHeader : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (context, nextMiddleware) =>
            {
                if (context.Request.Headers[RemoteAddressHeader].ToString() is { Length: > 0 } address)
                    context.Connection.RemoteIpAddress = IPAddress.Parse(address);
                await nextMiddleware(context);
            });
            next(app);
        };
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
