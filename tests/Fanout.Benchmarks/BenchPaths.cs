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

    public string Dll(string project) => Path.Combine(Root, "services", project, "bin", Configuration, "net10.0", project + ".dll");

    /// <summary>Found from this program's own build output (tests/Fanout.Benchmarks/bin/&lt;Configuration&gt;/net10.0).</summary>
    public static BenchPaths Locate()
    {
        var bin = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var root = bin;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Fanout.Bus.sln")))
            root = root.Parent;
        if (root is null)
            throw new InvalidOperationException("Fanout.Bus.sln not found above " + bin.FullName);
        return new BenchPaths(root.FullName, bin.Parent!.Name);
    }

    /// <summary>Fresh databases and logs for every benchmark run; the previous run's are removed.</summary>
    public void Prepare()
    {
        Directory.CreateDirectory(LogDirectory);
        foreach (var file in Directory.EnumerateFiles(RunDirectory, "*.db*").Concat(Directory.EnumerateFiles(LogDirectory, "*.log")))
            File.Delete(file);
    }
}
