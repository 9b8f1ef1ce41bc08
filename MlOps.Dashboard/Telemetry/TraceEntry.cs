namespace MlOps.Dashboard.Telemetry;

/// <summary>The spans of one trace and a running summary. Not thread-safe: <see cref="TraceStore"/>'s lock guards it.</summary>
internal sealed class TraceEntry(UInt128 traceKey)
{
    private readonly List<TelemetrySpan> _spans = new(4);
    private readonly List<string> _services = new(2);
    private readonly List<string> _resources = new(2);
    private readonly List<int> _peerPorts = [];
    private TelemetrySpan? _root;
    private DateTime _start = DateTime.MaxValue;
    private DateTime _end = DateTime.MinValue;
    private bool _hasError;

    public UInt128 TraceKey { get; } = traceKey;

    public IReadOnlyList<TelemetrySpan> Spans => _spans;

    public double DurationMs => _spans.Count == 0 ? 0 : (_end - _start).TotalMilliseconds;

    public void Add(TelemetrySpan span)
    {
        _spans.Add(span);
        if (span.StartTime < _start)
        {
            _start = span.StartTime;
        }

        if (span.EndTime > _end)
        {
            _end = span.EndTime;
        }

        _hasError |= span.Status == TelemetrySpanStatus.Error;
        AddDistinct(_services, span.Service);
        AddDistinct(_resources, span.Resource);
        if (DatabasePeer.Port(span.Attributes) is { } port && !_peerPorts.Contains(port))
        {
            _peerPorts.Add(port);
        }
        if (span.ParentKey == 0 && (_root is null || span.StartTime < _root.StartTime))
        {
            _root = span;
        }
    }

    public bool Touches(string resourceOrService) =>
        _resources.Contains(resourceOrService, StringComparer.Ordinal) || _services.Contains(resourceOrService, StringComparer.Ordinal);

    public TraceSummary Summarize()
    {
        var root = _root ?? Earliest();
        return new TraceSummary
        {
            TraceId = TelemetryIds.Format(TraceKey),
            RootName = root.Name,
            RootService = root.Service,
            Services = _services.ToArray(),
            Resources = _resources.ToArray(),
            SpanCount = _spans.Count,
            StartTime = _start,
            DurationMs = DurationMs,
            HasError = _hasError,
            PeerPorts = _peerPorts.ToArray(),
        };
    }

    public TraceDetail Detail() =>
        new(Summarize(), _spans.OrderBy(s => s.StartTime).ThenBy(s => s.ParentKey == 0 ? 0 : 1).ToArray());

    private TelemetrySpan Earliest()
    {
        var earliest = _spans[0];
        foreach (var span in _spans)
        {
            if (span.StartTime < earliest.StartTime)
            {
                earliest = span;
            }
        }

        return earliest;
    }

    private static void AddDistinct(List<string> list, string value)
    {
        if (!list.Contains(value, StringComparer.Ordinal))
        {
            list.Add(value);
        }
    }
}
