using Fanout.Cli;

// Ctrl-C cancels the running command (tail ends cleanly) instead of killing the process mid-write.
using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};
return await CliApp.RunAsync(args, CliConsole.ForProcess(), cancel.Token);
