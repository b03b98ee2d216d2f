using System.Reflection;
using Fanout.Bus.Authoring;
using Fanout.Bus.Naming;

namespace Fanout.Bus.Hosting;

/// <summary>A service type and the name it listens under.</summary>
public sealed record ServiceRegistration(Type ServiceType, string Name)
{
    public static ServiceRegistration For<TService>(string? name) where TService : class, IFanoutService
    {
        name ??= typeof(TService).GetCustomAttribute<ServiceAttribute>()?.Name
            ?? throw new InvalidOperationException(
                $"{typeof(TService).Name} has no name: mark it [Service(\"my.name\")] or pass a name to AddService.");
        if (ServiceNames.Problem(name) is { } problem)
            throw new InvalidOperationException($"{typeof(TService).Name}: {problem}");
        return new ServiceRegistration(typeof(TService), name);
    }
}
