namespace MlOps.Serving.Monitoring;

/// <summary>
/// A many-writers, one-reader queue bounded in rows that never blocks a writer: past its capacity an item is refused
/// (the caller counts it as dropped). Built on <see cref="System.Collections.Concurrent.ConcurrentQueue{T}"/> and one
/// interlocked counter rather than a bounded <c>Channel</c>, whose writes take a lock shared with the reader: the
/// request path must not contend with the monitor. The reader drains it on its own schedule (batching).
/// </summary>
internal sealed class BoundedQueue<T>(int capacity)
{
    private readonly System.Collections.Concurrent.ConcurrentQueue<(T Item, int Rows)> _items = new();
    private long _rows;

    public int Capacity { get; } = Math.Max(1, capacity);

    /// <summary>Rows waiting now.</summary>
    public long Rows => Interlocked.Read(ref _rows);

    public bool TryEnqueue(T item, int rows)
    {
        if (Interlocked.Add(ref _rows, rows) > Capacity && rows > 0)
        {
            Interlocked.Add(ref _rows, -rows);
            return false;
        }

        _items.Enqueue((item, rows));
        return true;
    }

    public bool TryDequeue(out T item)
    {
        if (_items.TryDequeue(out var entry))
        {
            Interlocked.Add(ref _rows, -entry.Rows);
            item = entry.Item;
            return true;
        }

        item = default!;
        return false;
    }
}
