namespace Fanout.Tests.Architecture;

/// <summary>
/// The namespace cycles of a <see cref="NamespaceGraph"/>: its strongly connected components of more than one
/// namespace (each namespace in one reaches every other, directly or through a longer cycle).
/// </summary>
public static class NamespaceCycles
{
    /// <summary>Each cycle as its namespaces, sorted; the cycles sorted by their first namespace.</summary>
    public static IReadOnlyList<IReadOnlyList<string>> Find(NamespaceGraph graph)
    {
        // Tarjan's algorithm, recursive: a few hundred namespaces at most.
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var low = new Dictionary<string, int>(StringComparer.Ordinal);
        var stack = new Stack<string>();
        var onStack = new HashSet<string>(StringComparer.Ordinal);
        var cycles = new List<IReadOnlyList<string>>();
        foreach (var ns in graph.Namespaces.Order(StringComparer.Ordinal))
            if (!index.ContainsKey(ns))
                Visit(ns);
        return cycles.OrderBy(c => c[0], StringComparer.Ordinal).ToList();

        void Visit(string ns)
        {
            index[ns] = low[ns] = index.Count;
            stack.Push(ns);
            onStack.Add(ns);
            foreach (var next in graph.DependenciesOf(ns))
            {
                if (!index.ContainsKey(next))
                {
                    Visit(next);
                    low[ns] = Math.Min(low[ns], low[next]);
                }
                else if (onStack.Contains(next))
                {
                    low[ns] = Math.Min(low[ns], index[next]);
                }
            }

            if (low[ns] != index[ns])
                return;
            var component = new List<string>();
            string member;
            do
            {
                member = stack.Pop();
                onStack.Remove(member);
                component.Add(member);
            } while (member != ns);

            if (component.Count > 1)
                cycles.Add(component.Order(StringComparer.Ordinal).ToList());
        }
    }

    /// <summary>A cycle and, for each dependency inside it, the type references that make it (up to a few).</summary>
    public static string Describe(NamespaceGraph graph, IReadOnlyList<string> cycle, int reasonsPerDependency = 5)
    {
        var lines = new List<string> { $"cycle: {string.Join(" ↔ ", cycle)}" };
        foreach (var from in cycle)
        foreach (var to in cycle.Where(to => graph.Reasons(from, to).Count > 0))
        {
            var reasons = graph.Reasons(from, to);
            lines.Add($"  {from} → {to} ({reasons.Count} type reference(s)):");
            lines.AddRange(reasons.Take(reasonsPerDependency).Select(r => $"    {r}"));
        }

        return string.Join('\n', lines);
    }
}
