using Fanout.Testing.Processes;

namespace Fanout.Chaos;

/// <summary>Where the run finds the build output and keeps its databases, logs and callback ledger (<c>.run/chaos/</c>).</summary>
public sealed class ChaosPaths
{
    ChaosPaths(string root, string configuration, string chaosDll)
    {
        Root = root;
        Configuration = configuration;
        ChaosDll = chaosDll;
        RunDirectory = Path.Combine(root, ".run", "chaos");
        LogDirectory = Path.Combine(RunDirectory, "logs");
    }

    public string Root { get; }
    public string Configuration { get; }
    public string RunDirectory { get; }
    public string LogDirectory { get; }

    /// <summary>This program, started again as the target and callback processes.</summary>
    public string ChaosDll { get; }

    public string Database => Path.Combine(RunDirectory, "fanout.db");
    public string OrdersDatabase => Path.Combine(RunDirectory, "orders.db");

    /// <summary>One line per callback the callback process ran (see <see cref="Parts.LedgerObserver"/>).</summary>
    public string Ledger => Path.Combine(RunDirectory, "callbacks.ledger");

    public string NodeScript => Path.Combine(Root, "compose", "rabbitmq-node.sh");
    public string ClusterScript => Path.Combine(Root, "compose", "rabbitmq-cluster.sh");

    public string Dll(string project) => BuildOutput.ServiceDll(project);

    public static ChaosPaths Locate() =>
        new(BuildOutput.RepositoryRoot, BuildOutput.Configuration, typeof(ChaosPaths).Assembly.Location);

    /// <summary>Fresh databases, logs and ledger for every run; the previous run's are removed.</summary>
    public void Prepare()
    {
        Directory.CreateDirectory(LogDirectory);
        foreach (var file in Directory.EnumerateFiles(RunDirectory, "*.db*")
                     .Concat(Directory.EnumerateFiles(LogDirectory, "*.log")).Append(Ledger).Where(File.Exists))
            File.Delete(file);
    }
}
