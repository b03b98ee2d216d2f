using Fanout.Testing.Processes;

namespace Fanout.Benchmarks;

/// <summary>Where the benchmark finds the build output and keeps its databases, logs and results.</summary>
public sealed class BenchPaths
{
    BenchPaths(string root, string configuration)
    {
        Root = root;
        Configuration = configuration;
        RunDirectory = Path.Combine(root, ".run", "bench");
        LogDirectory = Path.Combine(RunDirectory, "logs");
    }

    public string Root { get; }
    public string Configuration { get; }
    public string RunDirectory { get; }
    public string LogDirectory { get; }
    public string ResultsFile => Path.Combine(RunDirectory, "results.json");

    public string Dll(string project) => BuildOutput.ServiceDll(project);

    /// <summary>Found from this program's own build output (tests/Fanout.Benchmarks/bin/&lt;Configuration&gt;/net10.0).</summary>
    public static BenchPaths Locate() => new(BuildOutput.RepositoryRoot, BuildOutput.Configuration);

    /// <summary>Fresh databases and logs for every benchmark run; the previous run's are removed.</summary>
    public void Prepare()
    {
        Directory.CreateDirectory(LogDirectory);
        foreach (var file in Directory.EnumerateFiles(RunDirectory, "*.db*").Concat(Directory.EnumerateFiles(LogDirectory, "*.log")))
            File.Delete(file);
    }
}
