namespace Fanout.Bus.Authoring;

/// <summary>
/// Names a service: the name is its queue, its routing key for callbacks, and what callers put in <c>targets</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class ServiceAttribute(string name) : Attribute
{
    public string Name { get; } = name;
}
