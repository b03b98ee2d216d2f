using Microsoft.Playwright;

namespace Fanout.BrowserTests.Support;

/// <summary>
/// Debian's chromium, found on PATH (<c>compose/ensure-chromium.sh</c> installs it; <c>make test</c> runs that first).
/// Playwright's own browser download is never used: its CDN is not reachable from every machine.
/// </summary>
public static class Chromium
{
    public static readonly string[] Args =
    [
        "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run",
    ];

    public static string ExecutablePath()
    {
        var path = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(directory => Path.Combine(directory, "chromium"))
            .FirstOrDefault(File.Exists);
        return path ?? throw new InvalidOperationException(
            "chromium is not on PATH: run compose/ensure-chromium.sh (make test does), " +
            "or apt-get install -y --no-install-recommends chromium");
    }

    public static Task<IBrowser> LaunchAsync(IPlaywright playwright) =>
        playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath(), Headless = true, Args = Args,
        });
}
