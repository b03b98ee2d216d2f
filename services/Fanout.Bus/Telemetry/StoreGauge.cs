using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;

namespace Fanout.Bus.Telemetry;

/// <summary>
/// A gauge of the "Fanout" meter whose value is read from a store each time a listener collects (OTLP's export
/// interval), never otherwise. Its meter belongs to the host's container and goes with it, so test hosts in one
/// process do not pile up gauges; a read that fails is logged and reports nothing.
/// </summary>
public static class StoreGauge
{
    public static void Create(IMeterFactory meters, string name, string unit, string description,
        Func<IEnumerable<Measurement<long>>> read, ILogger logger) =>
        meters.Create(FanoutMetrics.MeterName).CreateObservableGauge(name, () =>
        {
            try
            {
                return read();
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "Could not read {Gauge} from the store", name);
                return [];
            }
        }, unit, description);
}
