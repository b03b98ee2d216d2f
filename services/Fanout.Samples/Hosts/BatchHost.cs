using Fanout.Bus.Logging;
using Fanout.Samples.Batch;

namespace Fanout.Samples.Hosts;

/// <summary><c>batch</c>: the long-running scenario, served over HTTP until stopped.</summary>
static class BatchHost
{
    public static async Task<int> RunAsync(string[] args)
    {
        var web = WebApplication.CreateBuilder(args);
        web.Logging.AddFanoutLogging(web.Configuration, toStandardError: true);
        web.AddBatchScenario();
        var app = web.Build();
        app.MapBatchScenario();
        await app.RunAsync();
        return 0;
    }
}
