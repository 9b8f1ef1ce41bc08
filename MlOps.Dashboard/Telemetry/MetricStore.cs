namespace MlOps.Dashboard.Telemetry;

// Lock rule: _lock guards _instruments, _order, _count, _dropped and every InstrumentEntry (descriptor and points).
// Points are immutable records and leave the lock as they are; lists leave it as copies.

/// <summary>The metrics of one resource: points per instrument, bounded over all instruments; the oldest point of the
/// resource is dropped first (one FIFO of "which instrument got a point" keeps the global order).</summary>
internal sealed class MetricStore(int capacity)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, InstrumentEntry> _instruments = new(StringComparer.Ordinal);
    private readonly Queue<InstrumentEntry> _order = new();
    private int _count;
    private long _dropped;

    public (int Instruments, int Points, long Dropped) Counts
    {
        get
        {
            lock (_lock)
            {
                return (_instruments.Count, _count, _dropped);
            }
        }
    }

    public void Add(TelemetryInstrument descriptor, List<TelemetryMetricPoint> points)
    {
        lock (_lock)
        {
            if (!_instruments.TryGetValue(descriptor.Name, out var entry))
            {
                entry = new InstrumentEntry();
                _instruments.Add(descriptor.Name, entry);
            }

            entry.Descriptor = descriptor;
            foreach (var point in points)
            {
                entry.Points.Enqueue(entry.ShareBounds(point));
                if (entry.LastTime is null || point.Time > entry.LastTime)
                {
                    entry.LastTime = point.Time;
                }

                _order.Enqueue(entry);
                if (++_count > capacity)
                {
                    _order.Dequeue().Points.Dequeue();
                    _count--;
                    _dropped++;
                }
            }
        }
    }

    public IReadOnlyList<TelemetryInstrument> Instruments()
    {
        lock (_lock)
        {
            return _instruments.Values.Select(e => e.Snapshot()).OrderBy(i => i.Name, StringComparer.Ordinal).ToArray();
        }
    }

    public TelemetryMetricSeries? Series(string instrument)
    {
        lock (_lock)
        {
            return _instruments.TryGetValue(instrument, out var entry)
                ? new TelemetryMetricSeries(entry.Snapshot(), entry.Points.ToArray())
                : null;
        }
    }

    private sealed class InstrumentEntry
    {
        private IReadOnlyList<double>? _bounds;

        public TelemetryInstrument Descriptor { get; set; } = null!;

        public Queue<TelemetryMetricPoint> Points { get; } = new();

        public DateTime? LastTime { get; set; }

        public TelemetryInstrument Snapshot() => Descriptor with { PointCount = Points.Count, LastTime = LastTime };

        // Histogram points of one instrument nearly always carry the same bounds: keep one copy.
        public TelemetryMetricPoint ShareBounds(TelemetryMetricPoint point)
        {
            if (point.ExplicitBounds is not { } bounds || ReferenceEquals(bounds, _bounds))
            {
                return point;
            }

            if (_bounds is not null && _bounds.SequenceEqual(bounds))
            {
                return point with { ExplicitBounds = _bounds };
            }

            _bounds = bounds;
            return point;
        }
    }
}
