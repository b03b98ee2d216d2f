using Fanout.Bus.Logging;
using Fanout.Samples.Callbacks;
using Microsoft.Extensions.Hosting;

namespace Fanout.Samples.Hosts;

/// <summary>
/// What the console modes share: stdout carries the callback JSON lines; everything else goes to stderr.
/// </summary>
static class ConsoleHost
{
    public static HostApplicationBuilder CreateBuilder(string[] args, bool quiet = false)
    {
        var builder = Host.CreateApplicationBuilder(args);
        builder.Logging.AddFanoutLogging(builder.Configuration, toStandardError: true);
        if (quiet)
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddSingleton<CallbackPrinter>();
        return builder;
    }
}
