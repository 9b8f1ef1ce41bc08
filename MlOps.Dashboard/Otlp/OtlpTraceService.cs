using Microsoft.Extensions.Logging;
using MlOps.Dashboard.Telemetry;
using OpenTelemetry.Proto.Collector.Trace.V1;
using OpenTelemetry.Proto.Trace.V1;
using static MlOps.Dashboard.Otlp.OtlpConversions;

namespace MlOps.Dashboard.Otlp;

/// <summary>Receives OTLP spans, whatever the transport: valid spans go to the store; malformed ones (ids of the wrong
/// length, no resource) are counted, logged and skipped, and reported as partial success.</summary>
public sealed class OtlpTraceService(TelemetryRepository repository, ILogger<OtlpTraceService> logger)
{
    /// <summary>Stores the request's spans; the response's <c>partial_success</c> is set only when some were rejected.</summary>
    public ExportTraceServiceResponse Export(ExportTraceServiceRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var rejections = new OtlpRejections();
        foreach (var resourceSpans in request.ResourceSpans)
        {
            Export(resourceSpans, rejections);
        }

        if (rejections.Count == 0)
        {
            return new ExportTraceServiceResponse();
        }

        logger.LogWarning("OTLP traces: rejected {Count} malformed span(s): {Reasons}", rejections.Count, rejections.Message);
        return new ExportTraceServiceResponse
        {
            PartialSuccess = new ExportTracePartialSuccess { RejectedSpans = rejections.Count, ErrorMessage = rejections.Message },
        };
    }

    private void Export(ResourceSpans resourceSpans, OtlpRejections rejections)
    {
        if (resourceSpans.Resource is null)
        {
            var count = resourceSpans.ScopeSpans.Sum(s => (long)s.Spans.Count);
            rejections.Add(count, "resource missing");
            repository.Rejected(null, count);
            return;
        }

        var key = ResourceKey(resourceSpans.Resource);
        var resource = repository.GetOrAddResource(key, () => ToAttributes(resourceSpans.Resource.Attributes));
        var spans = new List<TelemetrySpan>(resourceSpans.ScopeSpans.Sum(s => s.Spans.Count));
        long rejected = 0;
        foreach (var scopeSpans in resourceSpans.ScopeSpans)
        {
            var scope = ScopeName(scopeSpans.Scope);
            foreach (var span in scopeSpans.Spans)
            {
                if (Convert(span, resource, scope, out var error) is { } converted)
                {
                    spans.Add(converted);
                }
                else
                {
                    rejected++;
                    rejections.Add(1, error!);
                }
            }
        }

        if (spans.Count > 0)
        {
            repository.AddSpans(resource, spans);
        }

        if (rejected > 0)
        {
            repository.Rejected(resource, rejected);
        }
    }

    private static TelemetrySpan? Convert(Span span, TelemetryResourceEntry resource, string? scope, out string? error)
    {
        var validTrace = TryTraceKey(span.TraceId, required: true, out var traceKey);
        var validSpan = TrySpanKey(span.SpanId, required: true, out var spanKey);
        var validParent = TrySpanKey(span.ParentSpanId, required: false, out var parentKey);
        error = !validTrace ? $"span '{span.Name}': trace_id must be {TraceIdLength} bytes, not all zero (got {span.TraceId.Length})"
            : !validSpan ? $"span '{span.Name}': span_id must be {SpanIdLength} bytes, not all zero (got {span.SpanId.Length})"
            : !validParent ? $"span '{span.Name}': parent_span_id must be empty or {SpanIdLength} bytes"
            : null;
        if (error is not null)
        {
            return null;
        }

        var start = ToDateTime(span.StartTimeUnixNano);
        var end = span.EndTimeUnixNano < span.StartTimeUnixNano ? start : ToDateTime(span.EndTimeUnixNano);
        return new TelemetrySpan
        {
            TraceKey = traceKey,
            SpanKey = spanKey,
            ParentKey = parentKey,
            Name = StringPool.Share(span.Name),
            Kind = KindName(span.Kind),
            StartTime = start,
            EndTime = end,
            Status = span.Status?.Code switch
            {
                Status.Types.StatusCode.Ok => TelemetrySpanStatus.Ok,
                Status.Types.StatusCode.Error => TelemetrySpanStatus.Error,
                _ => TelemetrySpanStatus.Unset,
            },
            StatusMessage = string.IsNullOrEmpty(span.Status?.Message) ? null : span.Status.Message,
            Attributes = ToAttributes(span.Attributes),
            Events = span.Events.Count == 0 ? [] : span.Events.Select(e => new TelemetrySpanEvent(e.Name, ToDateTime(e.TimeUnixNano), ToAttributes(e.Attributes))).ToArray(),
            Links = span.Links.Count == 0 ? [] : span.Links.Select(ToLink).ToArray(),
            Resource = resource.Id,
            Service = resource.Key.ServiceName,
            Scope = scope,
        };
    }

    private static TelemetrySpanLink ToLink(Span.Types.Link link) =>
        new(System.Convert.ToHexStringLower(link.TraceId.Span), System.Convert.ToHexStringLower(link.SpanId.Span), ToAttributes(link.Attributes));

    private static string KindName(Span.Types.SpanKind kind) => kind switch
    {
        Span.Types.SpanKind.Internal => "Internal",
        Span.Types.SpanKind.Server => "Server",
        Span.Types.SpanKind.Client => "Client",
        Span.Types.SpanKind.Producer => "Producer",
        Span.Types.SpanKind.Consumer => "Consumer",
        _ => "Unspecified",
    };
}
