using Fanout.Chaos;
using Fanout.Chaos.Parts;

// make chaos: every scenario (LONG=1 adds the broker outage); make chaos-quick (--quick): fewer, smaller, for CI.
// --only a,b runs just the named scenarios; --help lists every option. `targets` and `callbacks` are the child
// processes the run starts.
return args.FirstOrDefault() switch
{
    "targets" => await PartHosts.RunTargetsAsync(args[1..]),
    "callbacks" => await PartHosts.RunCallbacksAsync(args[1..]),
    _ => await ChaosCommandLine.InvokeAsync(args, ChaosRun.RunAsync),
};
