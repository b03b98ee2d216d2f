using Fanout.Bus.Naming;

namespace Fanout.Tests.Naming;

public class CorrelationIdsTests
{
    [Fact]
    public void The_same_cid_maps_to_the_same_guid_in_every_process() =>
        Assert.Equal(CorrelationIds.ToGuid("order-42"), CorrelationIds.ToGuid("order-42"));

    [Fact]
    public void Different_cids_map_to_different_guids()
    {
        var guids = Enumerable.Range(0, 10_000).Select(i => CorrelationIds.ToGuid($"cid-{i}")).ToHashSet();
        Assert.Equal(10_000, guids.Count);
    }

    [Fact]
    public void Generated_cids_are_unique() =>
        Assert.Equal(1000, Enumerable.Range(0, 1000).Select(_ => CorrelationIds.NewCid()).Distinct().Count());

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("tab\there")]
    public void Empty_or_unprintable_cids_are_refused(string cid) => Assert.NotNull(CorrelationIds.Problem(cid));

    [Fact]
    public void Over_long_cids_are_refused() =>
        Assert.Contains("limit", CorrelationIds.Problem(new string('x', CorrelationIds.MaxLength + 1)));
}
