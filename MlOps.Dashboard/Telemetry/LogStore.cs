namespace MlOps.Dashboard.Telemetry;

// Lock rule: _lock guards _buffer and _dropped. Entries are immutable records, so they leave the lock as they are.
// Nothing else is locked while _lock is held.

/// <summary>The log records of one resource: a circular buffer that drops the oldest record when full.</summary>
internal sealed class LogStore(int capacity)
{
    private readonly Lock _lock = new();
    private readonly CircularBuffer<TelemetryLogEntry> _buffer = new(capacity);
    private long _dropped;

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _buffer.Count;
            }
        }
    }

    public long Dropped
    {
        get
        {
            lock (_lock)
            {
                return _dropped;
            }
        }
    }

    public void Add(List<TelemetryLogEntry> entries)
    {
        lock (_lock)
        {
            foreach (var entry in entries)
            {
                if (_buffer.Add(entry, out _))
                {
                    _dropped++;
                }
            }
        }
    }

    /// <summary>Adds up to <paramref name="limit"/> of the newest entries that match to <paramref name="into"/>.</summary>
    public void CollectNewest(Func<TelemetryLogEntry, bool> match, int limit, List<TelemetryLogEntry> into)
    {
        var taken = 0;
        lock (_lock)
        {
            foreach (var entry in _buffer.Newest())
            {
                if (taken == limit)
                {
                    return;
                }

                if (match(entry))
                {
                    into.Add(entry);
                    taken++;
                }
            }
        }
    }
}
