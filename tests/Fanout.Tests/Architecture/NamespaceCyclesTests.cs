namespace Fanout.Tests.Architecture;

public sealed class NamespaceCyclesTests
{
    [Fact]
    public void A_longer_cycle_is_one_cycle_of_all_its_namespaces()
    {
        var graph = NamespaceGraph.Of([("A", "B"), ("B", "C"), ("C", "A"), ("D", "A"), ("C", "E")]);

        var cycle = Assert.Single(NamespaceCycles.Find(graph));

        Assert.Equal(["A", "B", "C"], cycle);
        Assert.Contains("C → A", NamespaceCycles.Describe(graph, cycle));
    }

    [Fact]
    public void Two_namespaces_using_each_other_are_a_cycle()
    {
        var graph = NamespaceGraph.Of([("A", "B"), ("B", "A"), ("B", "C")]);

        Assert.Equal(["A", "B"], Assert.Single(NamespaceCycles.Find(graph)));
    }

    [Fact]
    public void Dependencies_in_one_direction_are_no_cycle()
    {
        var graph = NamespaceGraph.Of([("A", "B"), ("B", "C"), ("A", "C"), ("D", "A")]);

        Assert.Empty(NamespaceCycles.Find(graph));
    }
}
