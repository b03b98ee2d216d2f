using System.Diagnostics;

namespace Fanout.Benchmarks.Measuring;

/// <summary>Stopwatch timestamps: every time in the benchmark is taken in this process, on this one clock.</summary>
public static class Clock
{
    public static long Now => Stopwatch.GetTimestamp();

    public static long After(long timestamp, TimeSpan span) => timestamp + (long)(span.TotalSeconds * Stopwatch.Frequency);

    public static double Ms(long from, long to) => (to - from) * 1000.0 / Stopwatch.Frequency;

    public static double Seconds(long from, long to) => (to - from) / (double)Stopwatch.Frequency;
}
