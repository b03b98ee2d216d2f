using Fanout.Benchmarks;

// make bench: every scenario 3 times; make bench-quick (--quick): once each, smaller, no map_100000.
// --only a,b runs just the named scenarios (for working on one).
// --postgres SERVER stores runs and orders in fresh PostgreSQL databases on SERVER (an Npgsql connection string
// without a database) instead of SQLite files; --orchestrators N starts N orchestrator processes on that database.
var profile = args.Contains("--quick") ? BenchProfile.Quick : BenchProfile.Full;
var only = Value("--only")?.Split(',', StringSplitOptions.RemoveEmptyEntries);
var deployment = new Deployment(Value("--postgres"), int.TryParse(Value("--orchestrators"), out var n) ? n : 1);
if (deployment.Orchestrators < 1 || (deployment.Orchestrators > 1 && deployment.Postgres is null))
{
    await Console.Error.WriteLineAsync("bench: --orchestrators N needs N >= 1, and more than one needs --postgres (one SQLite file has one writer)");
    return 2;
}

// --event-streams N keeps N GET /v1/events streams open on the gateway through every scenario (what watching costs).
var eventStreams = int.TryParse(Value("--event-streams"), out var streams) ? streams : 0;
// --message-breakdown prints, after the table, the broker messages per run (per order for FIFO scenarios) by the
// exchange they were published to: a message type's exchange for a publish, a queue's for a send.
return await BenchRun.RunAsync(profile, only, deployment, eventStreams, args.Contains("--message-breakdown"));

string? Value(string option) => args.SkipWhile(a => a != option).Skip(1).FirstOrDefault();
