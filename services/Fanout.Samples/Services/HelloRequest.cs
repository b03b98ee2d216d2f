namespace Fanout.Samples.Services;

/// <summary>The reference request, <c>{"hello": "from-fan-out1"}</c>.</summary>
public sealed record HelloRequest(string? Hello);

public sealed record HelloReply(string Echo, string ServedBy, string Cid);
