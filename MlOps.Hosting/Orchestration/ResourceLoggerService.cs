using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace MlOps.Hosting.Orchestration;

/// <summary>One line of a resource's console output.</summary>
/// <param name="LineNumber">1-based, counting every line the resource ever wrote (also those dropped from the buffer).</param>
/// <param name="Text">The line, without its newline.</param>
/// <param name="IsError">True for stderr.</param>
/// <param name="Timestamp">When the line was read.</param>
public sealed record ConsoleLogLine(long LineNumber, string Text, bool IsError, DateTimeOffset Timestamp);

/// <summary>Console output of every resource, bounded per resource (oldest lines dropped first).
/// Rule: each resource's buffer has its own lock; watchers get lines in order.</summary>
public sealed class ResourceLoggerService(int maxLinesPerResource = 10_000)
{
    private readonly Dictionary<string, ResourceConsoleLog> _logs = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <summary>Lines kept per resource.</summary>
    public int MaxLinesPerResource { get; } = maxLinesPerResource;

    /// <summary>Appends a line of <paramref name="resourceName"/>'s output.</summary>
    public void Write(string resourceName, string text, bool isError) => Get(resourceName).Write(text, isError);

    /// <summary>The lines kept for <paramref name="resourceName"/>.</summary>
    public IReadOnlyList<ConsoleLogLine> GetLines(string resourceName) => Get(resourceName).Snapshot();

    /// <summary>The kept lines, then every new one until cancelled.</summary>
    public IAsyncEnumerable<ConsoleLogLine> WatchAsync(string resourceName, CancellationToken cancellationToken = default) =>
        Get(resourceName).WatchAsync(cancellationToken);

    private ResourceConsoleLog Get(string name)
    {
        lock (_gate)
        {
            if (!_logs.TryGetValue(name, out var log))
            {
                log = new ResourceConsoleLog(MaxLinesPerResource);
                _logs[name] = log;
            }

            return log;
        }
    }

    private sealed class ResourceConsoleLog(int capacity)
    {
        private readonly Lock _gate = new();
        private readonly Queue<ConsoleLogLine> _lines = new();
        private readonly List<Channel<ConsoleLogLine>> _watchers = [];
        private long _lineNumber;

        public void Write(string text, bool isError)
        {
            lock (_gate)
            {
                var line = new ConsoleLogLine(++_lineNumber, text, isError, DateTimeOffset.UtcNow);
                if (_lines.Count == capacity)
                {
                    _lines.Dequeue();
                }

                _lines.Enqueue(line);
                foreach (var watcher in _watchers)
                {
                    watcher.Writer.TryWrite(line);
                }
            }
        }

        public ConsoleLogLine[] Snapshot()
        {
            lock (_gate)
            {
                return _lines.ToArray();
            }
        }

        public async IAsyncEnumerable<ConsoleLogLine> WatchAsync([EnumeratorCancellation] CancellationToken cancellationToken)
        {
            var channel = Channel.CreateUnbounded<ConsoleLogLine>(new UnboundedChannelOptions { SingleReader = true });
            lock (_gate)
            {
                foreach (var line in _lines)
                {
                    channel.Writer.TryWrite(line);
                }

                _watchers.Add(channel);
            }

            try
            {
                await foreach (var line in channel.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
                {
                    yield return line;
                }
            }
            finally
            {
                lock (_gate)
                {
                    _watchers.Remove(channel);
                }
            }
        }
    }
}
