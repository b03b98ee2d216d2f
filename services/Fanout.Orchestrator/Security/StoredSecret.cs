namespace Fanout.Orchestrator.Security;

/// <summary>A secret generated on first start and kept with the data it protects (the completion-token key).</summary>
public sealed class StoredSecret
{
    public string Name { get; set; } = "";
    public string Value { get; set; } = "";
}
