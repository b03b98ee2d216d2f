using Fanout.Benchmarks;

// make bench: every scenario 3 times; make bench-quick (--quick): once each, smaller, no map_100000.
// --only a,b runs just the named scenarios (for working on one).
var profile = args.Contains("--quick") ? BenchProfile.Quick : BenchProfile.Full;
var only = args.SkipWhile(a => a != "--only").Skip(1).FirstOrDefault()?.Split(',', StringSplitOptions.RemoveEmptyEntries);
return await BenchRun.RunAsync(profile, only);
