namespace MlOps.Dashboard.Telemetry;

// Lock rule: _lock guards _traces, _order, _dropped and every TraceEntry (its span list and running summary).
// Summaries and details are built under the lock and leave it as copies; spans are immutable records.
// Nothing else is locked while _lock is held: per-resource counters of dropped spans are updated after release.

/// <summary>All traces, assembled from the spans of every resource; the oldest trace (by first arrival) is dropped when
/// the store is full.</summary>
internal sealed class TraceStore(int capacity)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<UInt128, TraceEntry> _traces = [];
    private readonly CircularBuffer<TraceEntry> _order = new(capacity);
    private long _dropped;

    public (int Count, long Dropped) Counts
    {
        get
        {
            lock (_lock)
            {
                return (_order.Count, _dropped);
            }
        }
    }

    /// <summary>Adds spans; returns the spans of the traces dropped to make room (null when none were).</summary>
    public List<TelemetrySpan>? Add(List<TelemetrySpan> spans)
    {
        List<TelemetrySpan>? droppedSpans = null;
        lock (_lock)
        {
            foreach (var span in spans)
            {
                if (!_traces.TryGetValue(span.TraceKey, out var entry))
                {
                    entry = new TraceEntry(span.TraceKey);
                    _traces.Add(span.TraceKey, entry);
                    if (_order.Add(entry, out var evicted))
                    {
                        _traces.Remove(evicted!.TraceKey);
                        _dropped++;
                        (droppedSpans ??= []).AddRange(evicted.Spans);
                    }
                }

                entry.Add(span);
            }
        }

        return droppedSpans;
    }

    public IReadOnlyList<TraceSummary> Query(string? resource, double? minDurationMs, int limit)
    {
        var result = new List<TraceSummary>(Math.Min(limit, 256));
        lock (_lock)
        {
            foreach (var entry in _order.Newest())
            {
                if (result.Count == limit)
                {
                    break;
                }

                if ((resource is null || entry.Touches(resource)) && (minDurationMs is null || entry.DurationMs >= minDurationMs))
                {
                    result.Add(entry.Summarize());
                }
            }
        }

        return result;
    }

    public TraceDetail? Get(UInt128 traceKey)
    {
        lock (_lock)
        {
            return _traces.TryGetValue(traceKey, out var entry) ? entry.Detail() : null;
        }
    }
}
