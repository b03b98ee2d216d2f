using Fanout.Contracts;

namespace Fanout.Bus.Authoring;

/// <summary>Which callback channels a service class can serve, read from the request type it binds.</summary>
public static class CallbackRoles
{
    static readonly string[] FinalChannels = [Channels.FanoutOnFinal];
    static readonly string[] TargetChannels = [Channels.FanoutOnTarget, Channels.ParallelExecOnTarget];

    /// <summary>The channels whose payload <paramref name="serviceType"/> binds; null when it takes any JSON.</summary>
    public static IReadOnlyList<string>? ExpectedChannels(Type serviceType)
    {
        for (var type = serviceType; type is not null; type = type.BaseType)
        {
            if (!type.IsGenericType || type.GetGenericTypeDefinition() != typeof(FanoutService<,>))
                continue;
            var request = type.GetGenericArguments()[0];
            return request == typeof(FinalPayload) ? FinalChannels
                : request == typeof(TargetResultPayload) ? TargetChannels
                : null;
        }
        return null;
    }
}
