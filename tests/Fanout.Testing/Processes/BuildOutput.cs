namespace Fanout.Testing.Processes;

/// <summary>
/// The repository and its build output, found from the running program's own bin directory
/// (…/bin/&lt;Configuration&gt;/net10.0): tests, the benchmark and the chaos run start the services built beside them.
/// </summary>
public static class BuildOutput
{
    static readonly string Bin = AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar);

    /// <summary>The build configuration this program was built in (and the services with it).</summary>
    public static string Configuration { get; } = new DirectoryInfo(Bin).Parent!.Name;

    /// <summary>The directory holding Fanout.Bus.sln.</summary>
    public static string RepositoryRoot { get; } = FindRoot();

    /// <summary>The dll of a project under services/, in <see cref="Configuration"/>.</summary>
    public static string ServiceDll(string project) =>
        Path.Combine(RepositoryRoot, "services", project, "bin", Configuration, "net10.0", project + ".dll");

    static string FindRoot()
    {
        var root = new DirectoryInfo(Bin);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Fanout.Bus.sln")))
            root = root.Parent;
        return root?.FullName ?? throw new InvalidOperationException("Fanout.Bus.sln not found above " + Bin);
    }
}
