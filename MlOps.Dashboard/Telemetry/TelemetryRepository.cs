using System.Collections.Concurrent;

namespace MlOps.Dashboard.Telemetry;

// Concurrency rule: the resource map is a ConcurrentDictionary; each resource's logs and metrics live in stores with
// their own lock, and all traces in one TraceStore with its own lock. No method holds two locks at once, and every
// record handed out is immutable (lists are copies), so readers never see a half-written item.

/// <summary>The dashboard's bounded in-memory telemetry: senders (by <c>service.name</c> + <c>service.instance.id</c>),
/// their structured logs and metrics, and traces assembled across senders. The OTLP export services write to it; the
/// JSON API and the UI read it.</summary>
public sealed class TelemetryRepository
{
    private readonly ConcurrentDictionary<string, TelemetryResourceEntry> _resources = new(StringComparer.Ordinal);
    private readonly TraceStore _traces;
    private readonly TimeProvider _time;
    private long _logSequence;
    private long _rejectedWithoutResource;

    /// <summary>Creates an empty store with the given limits.</summary>
    public TelemetryRepository(TelemetryOptions options, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        _time = time ?? TimeProvider.System;
        _traces = new TraceStore(options.MaxTraceCount);
    }

    /// <summary>The limits in force.</summary>
    public TelemetryOptions Options { get; }

    /// <summary>Every sender with its counts, and the store-wide trace counts.</summary>
    public TelemetryOverview GetOverview()
    {
        var (traces, dropped) = _traces.Counts;
        var resources = _resources.Values.Select(r => r.Summarize()).OrderBy(r => r.Id, StringComparer.Ordinal).ToArray();
        return new TelemetryOverview(resources, traces, dropped, Interlocked.Read(ref _rejectedWithoutResource));
    }

    /// <summary>Log records matching <paramref name="query"/>, newest first.</summary>
    public IReadOnlyList<TelemetryLogEntry> GetLogs(TelemetryLogQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var limit = Math.Max(query.Limit, 0);
        UInt128? traceKey = null;
        if (!string.IsNullOrEmpty(query.TraceId))
        {
            if (!TelemetryIds.TryParseTrace(query.TraceId, out var key))
            {
                return [];
            }

            traceKey = key;
        }

        var found = new List<TelemetryLogEntry>();
        foreach (var resource in Matching(query.Resource))
        {
            resource.Logs.CollectNewest(entry => Matches(entry, query, traceKey), limit, found);
        }

        return found.OrderByDescending(e => e.Sequence).Take(limit).ToArray();
    }

    /// <summary>Trace summaries matching <paramref name="query"/>, newest first.</summary>
    public IReadOnlyList<TraceSummary> GetTraces(TelemetryTraceQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        return _traces.Query(query.Resource, query.MinDurationMs, Math.Max(query.Limit, 0));
    }

    /// <summary>One trace with all its spans, or null when it is not (or no longer) stored.</summary>
    public TraceDetail? GetTrace(string traceId)
    {
        ArgumentNullException.ThrowIfNull(traceId);
        return TelemetryIds.TryParseTrace(traceId, out var key) ? _traces.Get(key) : null;
    }

    /// <summary>Instruments of the matching resources (all resources when <paramref name="resource"/> is null).</summary>
    public IReadOnlyList<TelemetryInstrument> GetInstruments(string? resource = null) =>
        Matching(resource).SelectMany(r => r.Metrics.Instruments()).ToArray();

    /// <summary>The points of one instrument of one resource (a resource id, or a service name with one instance).</summary>
    public TelemetryMetricSeries? GetMetric(string resource, string instrument)
    {
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentNullException.ThrowIfNull(instrument);
        var matches = Matching(resource).ToArray();
        return matches.Length == 1 ? matches[0].Metrics.Series(instrument) : null;
    }

    internal TelemetryResourceEntry GetOrAddResource(TelemetryResourceKey key, Func<IReadOnlyList<KeyValuePair<string, string>>> attributes)
    {
        var now = _time.GetUtcNow().UtcDateTime;
        if (_resources.TryGetValue(key.Id, out var existing))
        {
            existing.Seen(now);
            return existing;
        }

        return _resources.GetOrAdd(key.Id, _ => new TelemetryResourceEntry(key, attributes(), Options, now));
    }

    /// <summary>Reserves <paramref name="count"/> log sequence numbers; returns the first.</summary>
    internal long ReserveLogSequence(int count) => Interlocked.Add(ref _logSequence, count) - count + 1;

    internal void AddSpans(TelemetryResourceEntry resource, List<TelemetrySpan> spans)
    {
        resource.SpansAdded(spans.Count);
        if (_traces.Add(spans) is { } dropped)
        {
            foreach (var span in dropped)
            {
                if (_resources.TryGetValue(span.Resource, out var owner))
                {
                    owner.SpanDropped();
                }
            }
        }
    }

    internal void Rejected(TelemetryResourceEntry? resource, long count)
    {
        if (resource is null)
        {
            Interlocked.Add(ref _rejectedWithoutResource, count);
        }
        else
        {
            resource.Rejected(count);
        }
    }

    private IEnumerable<TelemetryResourceEntry> Matching(string? resource)
    {
        if (string.IsNullOrEmpty(resource))
        {
            return _resources.Values;
        }

        return _resources.TryGetValue(resource, out var exact)
            ? [exact]
            : _resources.Values.Where(r => string.Equals(r.Key.ServiceName, resource, StringComparison.Ordinal));
    }

    private static bool Matches(TelemetryLogEntry entry, TelemetryLogQuery query, UInt128? traceKey) =>
        (query.MinSeverity is null || entry.Severity >= query.MinSeverity)
        && (traceKey is null || entry.TraceKey == traceKey)
        && (string.IsNullOrEmpty(query.Text) || ContainsText(entry, query.Text));

    private static bool ContainsText(TelemetryLogEntry entry, string text)
    {
        if (entry.Message.Contains(text, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        foreach (var attribute in entry.Attributes)
        {
            if (attribute.Value.Contains(text, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
