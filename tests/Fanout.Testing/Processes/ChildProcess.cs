using System.Collections.Concurrent;
using System.Diagnostics;

namespace Fanout.Testing.Processes;

/// <summary>
/// One of the project's programs as its own OS process, output to a log file (read only to see it is ready, so
/// this process spends no CPU on the child's logs). Every child is stopped when the program that started it ends, however it ends.
/// </summary>
public sealed class ChildProcess : IDisposable
{
    static readonly ConcurrentDictionary<int, ChildProcess> Running = new();

    readonly Process _process;

    ChildProcess(string name, Process process, string logPath)
    {
        Name = name;
        _process = process;
        LogPath = logPath;
        Running[process.Id] = this;
    }

    public string Name { get; }
    public string LogPath { get; }
    public int Id => _process.Id;
    public bool HasExited => _process.HasExited;

    /// <summary>The exit code once the process has exited (137 = SIGKILL, as a shell reports it), else null.</summary>
    public int? ExitCode => _process.HasExited ? _process.ExitCode : null;

    /// <summary>Runs <c>dotnet {dll} {args}</c>; the shell execs into it, so the pid is dotnet's own.</summary>
    public static ChildProcess Start(string name, string dll, IReadOnlyList<string> args, IReadOnlyDictionary<string, string> environment,
        string workingDirectory, string logPath)
    {
        if (!File.Exists(dll))
            throw new FileNotFoundException($"{dll} is missing; run make build", dll);
        var info = new ProcessStartInfo("/bin/sh") { WorkingDirectory = workingDirectory, UseShellExecute = false };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add("exec dotnet \"$@\" >\"$CHILD_LOG\" 2>&1 </dev/null");
        info.ArgumentList.Add("sh");
        info.ArgumentList.Add(dll);
        foreach (var arg in args)
            info.ArgumentList.Add(arg);
        foreach (var (key, value) in environment)
            info.Environment[key] = value;
        info.Environment["CHILD_LOG"] = logPath;
        var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {name}");
        return new ChildProcess(name, process, logPath);
    }

    /// <summary>Waits until the log shows <paramref name="line"/>; fails at once if the process exits first.</summary>
    public async Task WaitForLogAsync(string line, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        while (!LogContains(line))
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"{Name} exited (code {_process.ExitCode}) before it was ready:\n{LogTail()}");
            try
            {
                await Task.Delay(50, deadline.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"{Name} did not log '{line}' within {timeout.TotalSeconds:0} s:\n{LogTail()}");
            }
        }
    }

    bool LogContains(string line) => ReadLog()?.Contains(line, StringComparison.Ordinal) == true;

    public string LogTail(int lines = 20) => ReadLog() is { } log ? string.Join('\n', log.Split('\n').TakeLast(lines)) : "(no log)";

    /// <summary>The log so far (the child still writes to it), or null before the child created it.</summary>
    string? ReadLog()
    {
        try
        {
            using var reader = new StreamReader(new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
            return reader.ReadToEnd();
        }
        catch (FileNotFoundException)
        {
            return null;
        }
    }

    /// <summary>SIGKILL, as a crash or the OOM killer would end it: no shutdown code runs.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit(10_000);
    }

    /// <summary>Ends the process (and anything it started) at once; its state is scratch.</summary>
    public void Dispose()
    {
        Running.TryRemove(_process.Id, out _);
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // Exited between the check and the kill.
        }

        _process.Dispose();
    }

    /// <summary>Last resort on an abrupt exit (second Ctrl-C, SIGTERM): no child outlives the program that started it.</summary>
    public static void StopAll()
    {
        foreach (var child in Running.Values)
            child.Dispose();
    }
}
