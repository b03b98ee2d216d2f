using System.Diagnostics;
using Fanout.Bus.Telemetry;
using MassTransit;
using Microsoft.Extensions.Logging;

namespace Fanout.Bus.Logging;

/// <summary>
/// Opens a log scope with the message's <see cref="LogFields"/> around its consumer, so every line the consumer,
/// the saga and MassTransit write while handling it names the fan-out (cid) and target it belongs to. The same fields
/// go on MassTransit's consume span as fanout.* attributes, so a trace can be found by cid.
/// </summary>
public sealed class LogScopeFilter<T>(ILoggerFactory loggers) : IFilter<ConsumeContext<T>> where T : class
{
    readonly ILogger _logger = loggers.CreateLogger("Fanout.Bus.Logging");

    public async Task Send(ConsumeContext<T> context, IPipe<ConsumeContext<T>> next)
    {
        var fields = LogFields.From(context.Message);
        using var scope = fields.Count > 0 ? _logger.BeginScope(fields) : null;
        SpanTags.Add(Activity.Current, fields);
        await next.Send(context);
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("fanoutLogScope");
}
