namespace Fanout.Benchmarks.Processes;

/// <summary>CPU time a process has used so far (user + system), from Linux's <c>/proc/&lt;pid&gt;/stat</c>.</summary>
public static class CpuTime
{
    /// <summary>USER_HZ: /proc reports times in these ticks; 100 on every Linux architecture .NET runs on.</summary>
    const double TicksPerSecond = 100;

    public static double Ms(int pid)
    {
        // Fields after the command name, which is in parentheses and may itself hold spaces: state is field 3,
        // utime field 14 and stime field 15.
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[14 - 3]) + long.Parse(fields[15 - 3]);
        return ticks * 1000 / TicksPerSecond;
    }
}
