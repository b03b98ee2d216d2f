using Xunit.Abstractions;

namespace Fanout.Tests.Architecture;

/// <summary>
/// No namespace of our assemblies depends on another that depends back on it, directly or through a longer cycle.
/// </summary>
public sealed class NamespaceCycleTests(ITestOutputHelper output)
{
    /// <summary>
    /// Cycles that exist today in the orchestrator's core, which is being rewritten (issue 20): the test accepts
    /// exactly these and fails once one of them changes or is gone, so the list shrinks with the code. Empty it
    /// when the rework lands. It is one cycle, not several: Persistence's DbContext names the rows of Runs,
    /// LiveServices and Outbox, whose queries use the DbContext, and FanoutStore uses Hosting's WalCheckpointer.
    /// </summary>
    static readonly string[][] KnownCyclesUntilEngineRework =
    [
        [
            "Fanout.Orchestrator.Hosting", "Fanout.Orchestrator.LiveServices", "Fanout.Orchestrator.Outbox",
            "Fanout.Orchestrator.Persistence", "Fanout.Orchestrator.Runs",
        ],
    ];

    static readonly Lazy<NamespaceGraph> Graph =
        new(() => NamespaceGraph.Read(OurAssemblies(), "Fanout", SourceRoot()));

    [Fact]
    public void Our_assemblies_are_read()
    {
        var names = OurAssemblies().Select(Path.GetFileNameWithoutExtension).ToList();
        output.WriteLine(string.Join(", ", names));
        Assert.Contains("Fanout.Bus", names);
        Assert.Contains("Fanout.Orchestrator", names);
        Assert.Contains("Fanout.Contracts", names);
        // Method bodies are read: the orchestrator's namespaces use one another far beyond their signatures.
        Assert.True(Graph.Value.Namespaces.Count > 20, $"{Graph.Value.Namespaces.Count} namespaces");
    }

    [Fact]
    public void No_namespace_cycle_beyond_the_known_ones()
    {
        var cycles = NamespaceCycles.Find(Graph.Value);
        foreach (var cycle in cycles)
            output.WriteLine(NamespaceCycles.Describe(Graph.Value, cycle) + "\n");

        var unexpected = cycles.Where(c => !KnownCyclesUntilEngineRework.Any(k => k.SequenceEqual(c))).ToList();
        Assert.True(unexpected.Count == 0,
            "namespace cycles:\n" +
            string.Join("\n\n", unexpected.Select(c => NamespaceCycles.Describe(Graph.Value, c))));
    }

    [Fact]
    public void The_known_cycles_still_exist()
    {
        var cycles = NamespaceCycles.Find(Graph.Value);
        var gone = KnownCyclesUntilEngineRework.Where(k => !cycles.Any(c => c.SequenceEqual(k))).ToList();
        Assert.True(gone.Count == 0,
            "no longer a cycle (remove from KnownCyclesUntilEngineRework): " +
            string.Join("; ", gone.Select(k => string.Join(" ↔ ", k))));
    }

    static string SourceRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Fanout.Bus.sln")))
            directory = directory.Parent;
        return directory?.FullName
               ?? throw new DirectoryNotFoundException("no Fanout.Bus.sln above the test's directory");
    }

    static IReadOnlyList<string> OurAssemblies() =>
        Directory.GetFiles(AppContext.BaseDirectory, "Fanout.*.dll")
            .Where(p => Path.GetFileNameWithoutExtension(p) != typeof(NamespaceCycleTests).Assembly.GetName().Name)
            .Order(StringComparer.Ordinal)
            .ToList();
}
