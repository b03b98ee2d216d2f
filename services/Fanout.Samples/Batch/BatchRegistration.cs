using Fanout.Bus;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Fanout.Samples.Batch;

public static class BatchRegistration
{
    /// <summary>
    /// The long-running scenario: three batch jobs with partner systems, an order endpoint, and its callbacks.
    /// </summary>
    public static WebApplicationBuilder AddBatchScenario(this WebApplicationBuilder builder)
    {
        var settings = builder.Configuration.GetSection(BatchSettings.Section).Get<BatchSettings>()
            ?? new BatchSettings();
        builder.Services.AddSingleton(settings);
        builder.Services.AddHttpClient();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.WebHost.UseUrls(settings.Url);
        builder.Services.AddSingleton<Callbacks.CallbackPrinter>();
        builder.Services.AddFanoutBus(builder.Configuration, bus =>
        {
            foreach (var job in settings.WaitMs.Keys)
                bus.AddService<BatchJobService>(job);
            bus.AddService<JobFinished>().AddService<OrderCompleted>();
        });
        return builder;
    }

    public static WebApplication MapBatchScenario(this WebApplication app)
    {
        app.MapOrders();
        app.MapPartners();
        return app;
    }
}
