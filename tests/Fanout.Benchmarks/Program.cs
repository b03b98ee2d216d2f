using Fanout.Benchmarks;

// make bench: every scenario 3 times; make bench-quick (--quick): once each, smaller, no map_100000.
// --help lists every option (--only, --postgres, --orchestrators, --event-streams, --message-breakdown).
return await BenchCommandLine.InvokeAsync(args);
