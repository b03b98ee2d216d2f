using Fanout.Samples.Hosts;

// The first argument that is not an option names the mode (default: demo); the rest go to that host.
var mode = args.FirstOrDefault(a => !a.StartsWith('-')) ?? "demo";
if (args.Contains("--help") || args.Contains("-h") || !Modes.All.TryGetValue(mode, out var run))
{
    Console.Error.WriteLine(Modes.Usage);
    return Modes.All.ContainsKey(mode) ? 0 : 2;
}

return await run(args.Where(a => a != mode).ToArray());
