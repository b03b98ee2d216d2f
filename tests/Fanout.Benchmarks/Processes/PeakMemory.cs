namespace Fanout.Benchmarks.Processes;

/// <summary>Peak resident memory of a process, from Linux's <c>/proc/&lt;pid&gt;/status</c> (VmHWM).</summary>
public static class PeakMemory
{
    /// <summary>
    /// Restarts the peak at the current size (writing 5 to clear_refs), so the next reading covers one scenario,
    /// not everything the process did before. False where the kernel does not allow it; the peak then spans the process's life.
    /// </summary>
    public static bool Reset(int pid)
    {
        try
        {
            File.WriteAllText($"/proc/{pid}/clear_refs", "5");
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    public static double PeakMb(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"no VmHWM in /proc/{pid}/status");
        var kilobytes = long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0]);
        return kilobytes / 1024.0;
    }
}
