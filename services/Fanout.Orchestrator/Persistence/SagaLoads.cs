using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Fanout.Orchestrator.Persistence;

/// <summary>
/// The saga's load by id, compiled once: every saga message runs it, and a compiled query skips EF Core's per-call
/// work of parameterising the expression and looking its plan up in the query cache (recompiled by EF Core itself
/// for a context of another model).
/// </summary>
internal static class SagaLoads<TSaga> where TSaga : class, ISaga
{
    public static readonly Func<DbContext, Guid, CancellationToken, Task<TSaga?>> ById =
        EF.CompileAsyncQuery((DbContext context, Guid correlationId, CancellationToken _) =>
            context.Set<TSaga>().AsTracking().SingleOrDefault(x => x.CorrelationId == correlationId));
}
