namespace MlOps.Dashboard.Telemetry;

/// <summary>One sender: its stores and counters. Counters are updated with <see cref="Interlocked"/>; the stores have
/// their own locks.</summary>
internal sealed class TelemetryResourceEntry(TelemetryResourceKey key, IReadOnlyList<KeyValuePair<string, string>> attributes,
    TelemetryOptions options, DateTime now)
{
    private long _spanCount;
    private long _droppedSpanCount;
    private long _rejectedCount;
    private long _lastSeenTicks = now.Ticks;

    public TelemetryResourceKey Key { get; } = key;

    public string Id { get; } = key.Id;

    public IReadOnlyList<KeyValuePair<string, string>> Attributes { get; } = attributes;

    public DateTime FirstSeen { get; } = now;

    public LogStore Logs { get; } = new(options.MaxLogCount);

    public MetricStore Metrics { get; } = new(options.MaxMetricPointCount);

    public void Seen(DateTime now) => Interlocked.Exchange(ref _lastSeenTicks, now.Ticks);

    public void SpansAdded(int count) => Interlocked.Add(ref _spanCount, count);

    public void SpanDropped()
    {
        Interlocked.Decrement(ref _spanCount);
        Interlocked.Increment(ref _droppedSpanCount);
    }

    public void Rejected(long count) => Interlocked.Add(ref _rejectedCount, count);

    public TelemetryResourceSummary Summarize()
    {
        var metrics = Metrics.Counts;
        return new TelemetryResourceSummary
        {
            Id = Id,
            ServiceName = Key.ServiceName,
            InstanceId = Key.InstanceId,
            Attributes = Attributes,
            FirstSeen = FirstSeen,
            LastSeen = new DateTime(Interlocked.Read(ref _lastSeenTicks), DateTimeKind.Utc),
            LogCount = Logs.Count,
            DroppedLogCount = Logs.Dropped,
            SpanCount = Interlocked.Read(ref _spanCount),
            DroppedSpanCount = Interlocked.Read(ref _droppedSpanCount),
            InstrumentCount = metrics.Instruments,
            MetricPointCount = metrics.Points,
            DroppedMetricPointCount = metrics.Dropped,
            RejectedCount = Interlocked.Read(ref _rejectedCount),
        };
    }
}
