using Fanout.Bus.Naming;

namespace Fanout.Orchestrator.Security;

/// <summary>Holds the completion-token key once <c>DatabaseInitializer</c> has loaded or created it.</summary>
public sealed class CompletionTokenKey
{
    CompletionTokens? _tokens;

    public CompletionTokens Tokens =>
        _tokens ?? throw new InvalidOperationException("The completion-token key is not loaded yet.");

    internal void Set(byte[] secret) => _tokens = new CompletionTokens(secret);
}
