using System.Diagnostics;

namespace Fanout.Tests.Configuration;

/// <summary>
/// <c>--help</c> on a service process prints its usage and exits, instead of starting a server (the processes take
/// their settings from the environment, so any other argument is a configuration override).
/// </summary>
public sealed class HostUsageTests
{
    [Theory]
    [InlineData("Fanout.Orchestrator", "FANOUT_DATABASE")]
    [InlineData("Fanout.Gateway", "FANOUT_API_KEY")]
    public async Task Help_prints_the_usage_and_exits_without_starting(string process, string setting)
    {
        var build = new DirectoryInfo(AppContext.BaseDirectory); // tests/Fanout.Tests/bin/<config>/<tfm>/
        var root = build.Parent!.Parent!.Parent!.Parent!.Parent!.FullName;
        var dll = Path.Combine(root, "services", process, "bin", build.Parent.Name, build.Name, process + ".dll");
        Assert.True(File.Exists(dll), $"{dll} not built");
        var start = new ProcessStartInfo("dotnet", [dll, "--help"])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetTempPath(),
        };
        start.Environment["FANOUT_RABBITMQ"] = "";
        using var child = Process.Start(start)!;
        var output = child.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await child.WaitForExitAsync(timeout.Token);
        }
        finally
        {
            if (!child.HasExited)
                child.Kill(entireProcessTree: true);
        }

        Assert.Equal(0, child.ExitCode);
        var text = await output;
        Assert.StartsWith($"Usage: {process}", text);
        Assert.Contains(setting, text);
        Assert.DoesNotContain("Bus started", text);
    }
}
