using Xunit.Abstractions;

namespace Fanout.Tests.Architecture;

/// <summary>
/// No namespace of our assemblies depends on another that depends back on it, directly or through a longer cycle.
/// </summary>
public sealed class NamespaceCycleTests(ITestOutputHelper output)
{
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
    public void No_namespace_cycle()
    {
        var cycles = NamespaceCycles.Find(Graph.Value);
        Assert.True(cycles.Count == 0,
            "namespace cycles:\n" +
            string.Join("\n\n", cycles.Select(c => NamespaceCycles.Describe(Graph.Value, c))));
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
