namespace MlOps.Serving.Monitoring.Drift;

/// <summary>
/// The last <c>capacity</c> rows as bin numbers, one per column, with a running count per bin: adding a row counts
/// its bins and, once full, un-counts the oldest row's. O(columns) per row, no allocation; one thread at a time.
/// </summary>
internal sealed class DriftWindow
{
    private readonly int _capacity;
    private readonly int _width;
    private readonly ushort[] _ring;
    private readonly long[][] _counts;
    private int _next;

    /// <param name="capacity">The rows kept.</param>
    /// <param name="binsPerColumn">The number of bins of each column; 0 for a column that is not counted.</param>
    public DriftWindow(int capacity, IReadOnlyList<int> binsPerColumn)
    {
        _capacity = Math.Max(1, capacity);
        _width = binsPerColumn.Count;
        _ring = new ushort[_capacity * _width];
        _counts = [.. binsPerColumn.Select(b => new long[b])];
    }

    public int Count { get; private set; }

    public int Capacity => _capacity;

    /// <summary>Adds one row; <paramref name="bins"/> holds a bin per column (ignored where the column has none).</summary>
    public void Add(ReadOnlySpan<ushort> bins)
    {
        var row = _ring.AsSpan(_next * _width, _width);
        if (Count == _capacity)
        {
            Count--;
            for (var c = 0; c < _width; c++)
            {
                if (_counts[c].Length > 0)
                {
                    _counts[c][row[c]]--;
                }
            }
        }

        for (var c = 0; c < _width; c++)
        {
            if (_counts[c].Length > 0)
            {
                _counts[c][bins[c]]++;
            }
        }

        bins[.._width].CopyTo(row);
        _next = (_next + 1) % _capacity;
        Count++;
    }

    public ReadOnlySpan<long> Counts(int column) => _counts[column];
}
