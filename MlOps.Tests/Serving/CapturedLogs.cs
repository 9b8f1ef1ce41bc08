using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace MlOps.Tests.Serving;

/// <summary>A logger provider that keeps every record a serving app writes (after its configured filters), for assertions.</summary>
public sealed class CapturedLogs : ILoggerProvider
{
    public ConcurrentQueue<(string Category, LogLevel Level, string Message)> Records { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public IEnumerable<string> At(LogLevel level) => Records.Where(r => r.Level >= level).Select(r => $"{r.Level} {r.Category}: {r.Message}");

    public void Dispose()
    {
    }

    private sealed class Logger(CapturedLogs owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.Records.Enqueue((category, logLevel, formatter(state, exception)));
    }
}
