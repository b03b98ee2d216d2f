using Fanout.Bus.Patterns;
using Fanout.Samples.Callbacks;
using Fanout.Samples.Services;
using Microsoft.Extensions.Hosting;

namespace Fanout.Samples.Demo;

/// <summary>
/// Starts the reference scenario by invoking <c>sample.caller</c> as a parallel target; the caller starts two
/// parallel executions and two fan-outs from inside. Stops the host when all five finished and callbacks went quiet.
/// </summary>
public sealed class DemoRunner(IFanoutPatterns patterns, CompletionTracker tracker, CallbackPrinter printer,
    IHostApplicationLifetime lifetime, TimeProvider time) : BackgroundService
{
    const int ExpectedCompletions = 5;
    static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    public int ExitCode { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            var run = time.GetUtcNow().ToString("yyyyMMddHHmmssfff");
            await patterns.Parallel.InvokeAsync(
                new Dictionary<string, object?> { ["sample.caller"] = new CallerRequest(run) },
                callbacks: ["my.target.callback1"], cid: $"demo-{run}", cancellationToken: stoppingToken);

            var deadline = time.GetUtcNow() + Limit;
            while (tracker.Count < ExpectedCompletions && time.GetUtcNow() < deadline)
                await Task.Delay(100, stoppingToken);
            await WaitUntilQuiet(stoppingToken);

            if (tracker.Count < ExpectedCompletions)
            {
                await Console.Error.WriteLineAsync($"demo: only {tracker.Count} of {ExpectedCompletions} fan-outs " +
                    $"completed within {Limit.TotalSeconds:0} s");
                ExitCode = 1;
            }
        }
        catch (Exception ex) when (ex is FanoutRequestException or TimeoutException)
        {
            await Console.Error.WriteLineAsync($"demo: {ex.Message}");
            ExitCode = 1;
        }
        finally
        {
            lifetime.StopApplication();
        }
    }

    async Task WaitUntilQuiet(CancellationToken stoppingToken)
    {
        var last = -1;
        while (last != printer.Printed)
        {
            last = printer.Printed;
            await Task.Delay(500, stoppingToken);
        }
    }
}
