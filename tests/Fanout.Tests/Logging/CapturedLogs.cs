using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Fanout.Tests.Logging;

/// <summary>A logger provider that keeps each line with the key/value pairs of the scopes open when it was written.</summary>
public sealed class CapturedLogs : ILoggerProvider, ISupportExternalScope
{
    public sealed record Line(string Category, string Message, IReadOnlyDictionary<string, object?> Scope);

    readonly ConcurrentQueue<Line> _lines = new();
    IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    public IReadOnlyList<Line> Lines => _lines.ToList();

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;
    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);
    public void Dispose() { }

    sealed class Logger(CapturedLogs owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => owner._scopes.Push(state);
        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var scope = new Dictionary<string, object?>();
            owner._scopes.ForEachScope((s, fields) =>
            {
                if (s is IEnumerable<KeyValuePair<string, object?>> pairs)
                    foreach (var (key, value) in pairs)
                        fields[key] = value;
            }, scope);
            owner._lines.Enqueue(new Line(category, formatter(state, exception), scope));
        }
    }
}
