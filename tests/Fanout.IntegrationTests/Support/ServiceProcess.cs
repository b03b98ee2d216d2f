using System.Diagnostics;
using System.Text;
using Fanout.Testing.Processes;

namespace Fanout.IntegrationTests.Support;

/// <summary>One of the project's own programs started as a separate OS process, as a deployment runs it.</summary>
public sealed class ServiceProcess : IDisposable
{
    readonly Process _process;
    ServiceProcess? _secondOrchestrator;
    readonly StringBuilder _stdout = new();
    readonly StringBuilder _stderr = new();

    ServiceProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (_stdout) _stdout.AppendLine(e.Data); };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_stderr) _stderr.AppendLine(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Stdout { get { lock (_stdout) return _stdout.ToString(); } }
    public string Stderr { get { lock (_stderr) return _stderr.ToString(); } }
    public bool HasExited => _process.HasExited;
    public int Id => _process.Id;
    public int ExitCode => _process.ExitCode;

    /// <summary>
    /// Starts <c>services/{project}</c>'s build output (same configuration as these tests). On a shared database
    /// (<c>make test-postgres</c>) an orchestrator comes with a second orchestrator process beside it, which outlives
    /// a <see cref="Kill"/> of the first.
    /// </summary>
    public static ServiceProcess Start(string project, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var resolved = TestStores.ResolveAll(environment.Select(e => new KeyValuePair<string, string?>(e.Key, e.Value)))
            .ToDictionary(e => e.Key, e => e.Value ?? "");
        var process = StartOne(project, resolved, args);
        if (project == "Fanout.Orchestrator" && TestStores.OrchestratorsPerDatabase > 1)
            process._secondOrchestrator = StartOne(project, resolved.Where(e => e.Key != "FANOUT_HEALTH_URL").ToDictionary(), args);
        return process;
    }

    static ServiceProcess StartOne(string project, IReadOnlyDictionary<string, string> environment, string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetTempPath(),
        };
        info.ArgumentList.Add(BuiltDll(project));
        foreach (var arg in args)
            info.ArgumentList.Add(arg);
        foreach (var (key, value) in environment)
            info.Environment[key] = value;
        return new ServiceProcess(Process.Start(info) ?? throw new InvalidOperationException($"Could not start {project}"));
    }

    static string BuiltDll(string project)
    {
        var dll = BuildOutput.ServiceDll(project);
        return File.Exists(dll) ? dll : throw new FileNotFoundException($"Build {project} first (make build)", dll);
    }

    public async Task WaitForOutput(string text, TimeSpan timeout)
    {
        await Eventually.Until(() => Stdout.Contains(text) || Stderr.Contains(text) || _process.HasExited, seen => seen,
            $"'{text}' in the output of process {Id}", timeout, _ => $"exited={_process.HasExited}\n{Stderr}\n{Stdout}");
        if (!Stdout.Contains(text) && !Stderr.Contains(text))
            throw new InvalidOperationException($"'{text}' not seen; the process exited\n{Stderr}\n{Stdout}");
    }

    public async Task<int> WaitForExit(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    /// <summary>Ends the process at once, as a crash would (no graceful shutdown).</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public void Dispose()
    {
        _secondOrchestrator?.Dispose();
        if (!_process.HasExited)
            _process.Kill(entireProcessTree: true);
        _process.Dispose();
    }
}
