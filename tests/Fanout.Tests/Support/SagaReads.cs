using System.Collections.Concurrent;
using System.Data.Common;
using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Fanout.Tests.Support;

/// <summary>
/// Counts the statements EF Core runs that read the saga table for any of the given sagas (by a parameter naming one
/// of their ids), whichever test's context runs them: other tests' statements never name these ids.
/// </summary>
public sealed class SagaReads : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>, IDisposable
{
    volatile string[] _ids = [];
    readonly IDisposable _all;
    readonly ConcurrentBag<IDisposable> _subscriptions = [];
    int _count;

    /// <summary>
    /// Listening from before the bus starts: EF Core checks whether anyone listens once in a while, not per statement.
    /// </summary>
    public SagaReads() => _all = DiagnosticListener.AllListeners.Subscribe(this);

    /// <summary>From now on counts the reads naming these sagas.</summary>
    public void Watch(IEnumerable<Guid> ids)
    {
        _ids = ids.Select(id => id.ToString()).ToArray();
        Interlocked.Exchange(ref _count, 0);
    }

    public int Count => Volatile.Read(ref _count);

    public void OnNext(DiagnosticListener listener)
    {
        if (listener.Name == DbLoggerCategory.Name)
            _subscriptions.Add(listener.Subscribe(this));
    }

    public void OnNext(KeyValuePair<string, object?> value)
    {
        if (value.Key != RelationalEventId.CommandExecuting.Name || value.Value is not CommandEventData data)
            return;
        var command = data.Command;
        if (command.CommandText.StartsWith("SELECT", StringComparison.OrdinalIgnoreCase)
            && command.CommandText.Contains("FROM \"fanouts\"", StringComparison.Ordinal)
            && command.Parameters.Cast<DbParameter>().Any(p => Names(p.Value)))
            Interlocked.Increment(ref _count);
    }

    bool Names(object? value) =>
        value is not null && _ids.Any(id => value.ToString()!.Contains(id, StringComparison.OrdinalIgnoreCase));

    public void OnCompleted()
    {
    }

    public void OnError(Exception error)
    {
    }

    public void Dispose()
    {
        _all.Dispose();
        foreach (var subscription in _subscriptions)
            subscription.Dispose();
    }
}
