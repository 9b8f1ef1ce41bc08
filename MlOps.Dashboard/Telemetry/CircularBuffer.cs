namespace MlOps.Dashboard.Telemetry;

/// <summary>A fixed-capacity FIFO that overwrites its oldest item. Not thread-safe: its owner holds a lock.</summary>
internal sealed class CircularBuffer<T>(int capacity)
{
    private readonly T[] _items = new T[capacity];
    private int _start;

    public int Count { get; private set; }

    public int Capacity => _items.Length;

    /// <summary>Adds <paramref name="item"/>; when full, the oldest item is removed and returned in <paramref name="evicted"/>.</summary>
    public bool Add(T item, out T? evicted)
    {
        if (Count < _items.Length)
        {
            _items[(_start + Count) % _items.Length] = item;
            Count++;
            evicted = default;
            return false;
        }

        evicted = _items[_start];
        _items[_start] = item;
        _start = (_start + 1) % _items.Length;
        return true;
    }

    /// <summary>The item at <paramref name="index"/>, 0 being the oldest.</summary>
    public T this[int index] => _items[(_start + index) % _items.Length];

    /// <summary>Newest first.</summary>
    public IEnumerable<T> Newest()
    {
        for (var i = Count - 1; i >= 0; i--)
        {
            yield return this[i];
        }
    }
}
