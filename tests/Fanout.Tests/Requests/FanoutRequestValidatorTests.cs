using System.Text.Json;
using Fanout.Bus.Requests;
using Fanout.Contracts;

namespace Fanout.Tests.Requests;

public class FanoutRequestValidatorTests
{
    static readonly JsonElement Hello = JsonDocument.Parse("""{"hello":"x"}""").RootElement;

    static InvokeFanout Fanout(params string[] targets) => new()
    {
        Cid = "c1",
        Mode = InvocationMode.Fanout,
        Targets = targets.ToDictionary(t => t, _ => Hello),
        OnFinal = ["cb.final1"],
    };

    [Fact]
    public void A_complete_fanout_is_valid() => Assert.Empty(FanoutRequestValidator.Problems(Fanout("service1")));

    [Fact]
    public void A_fanout_needs_a_target() =>
        Assert.Contains("at least one target or call is required", FanoutRequestValidator.Problems(Fanout()));

    [Fact]
    public void A_fanout_needs_a_final_callback() =>
        Assert.Contains("a fan-out needs at least one final callback",
            FanoutRequestValidator.Problems(Fanout("service1") with { OnFinal = [] }));

    [Fact]
    public void A_parallel_execution_needs_a_callback() =>
        Assert.Contains("a parallel execution needs at least one callback",
            FanoutRequestValidator.Problems(Fanout("service1") with { Mode = InvocationMode.Parallel, OnFinal = [] }));

    [Fact]
    public void Invalid_target_and_callback_names_are_named_in_the_problem()
    {
        var problems = FanoutRequestValidator.Problems(Fanout("bad name") with { OnFinal = ["also bad"] });
        Assert.Contains(problems, p => p.Contains("'bad name'"));
        Assert.Contains(problems, p => p.Contains("'also bad'"));
    }

    [Fact]
    public void An_unknown_mode_is_refused() =>
        Assert.Contains(FanoutRequestValidator.Problems(Fanout("s") with { Mode = "chord" }), p => p.Contains("'chord'"));

    [Fact]
    public void An_empty_cid_is_refused() =>
        Assert.Contains("the CID is empty", FanoutRequestValidator.Problems(Fanout("s") with { Cid = "" }));

    [Fact]
    public void A_callback_listed_twice_is_refused() =>
        Assert.Contains(FanoutRequestValidator.Problems(Fanout("s") with { OnFinal = ["cb", "cb"] }), p => p.Contains("more than once"));
}
