using Fanout.Bus.Naming;

namespace Fanout.Tests.Naming;

public class CompletionHandlesTests
{
    static readonly CompletionTokens Tokens = new(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());

    static string Handle(string cid, string key) => CompletionHandles.Create(cid, key, Tokens.For(cid, key));

    [Theory]
    [InlineData("order-1", "batchJobA")]
    [InlineData("run with spaces/and?query=1&x", "resize#17")]
    [InlineData("ünïcode-cid", "key.with.dots")]
    public void A_handle_reads_back_as_its_run_key_and_a_valid_token(string cid, string key)
    {
        var handle = Handle(cid, key);

        Assert.Matches("^[A-Za-z0-9_.-]+$", handle);
        Assert.True(CompletionHandles.TryRead(handle, out var readCid, out var readKey, out var token));
        Assert.Equal((cid, key), (readCid, readKey));
        Assert.True(Tokens.IsValid(readCid, readKey, token));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("job-42")]
    [InlineData("a.b")]
    [InlineData("a.b.c.d")]
    [InlineData("b3JkZXItMQ.YmF0Y2hKb2JB.short")]
    [InlineData("..AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("b3JkZXItMQ.YmF0Y2hKb2JB.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA*")]
    public void Anything_else_is_not_a_handle(string? text) =>
        Assert.False(CompletionHandles.TryRead(text, out _, out _, out _));

    [Fact]
    public void A_segment_altered_in_its_spare_bits_is_not_read_as_the_original()
    {
        // "order-1" is 7 bytes: its base64url ends in a character with 4 unused bits ("Q"); "R" decodes to the same bytes.
        var handle = Handle("order-1", "batchJobA");
        var cidSegment = handle.Split('.')[0];
        Assert.EndsWith("Q", cidSegment);
        var altered = cidSegment[..^1] + "R" + handle[cidSegment.Length..];

        Assert.False(CompletionHandles.TryRead(altered, out _, out _, out _));
    }

    [Fact]
    public void A_handle_with_another_runs_or_targets_token_does_not_verify()
    {
        var token = Tokens.For("order-1", "batchJobA");

        foreach (var foreign in new[] { CompletionHandles.Create("order-2", "batchJobA", token), CompletionHandles.Create("order-1", "batchJobB", token) })
        {
            Assert.True(CompletionHandles.TryRead(foreign, out var cid, out var key, out var read));
            Assert.False(Tokens.IsValid(cid, key, read));
        }
    }
}
