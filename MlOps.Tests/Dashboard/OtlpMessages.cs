using Google.Protobuf;
using OpenTelemetry.Proto.Collector.Logs.V1;
using OpenTelemetry.Proto.Collector.Metrics.V1;
using OpenTelemetry.Proto.Collector.Trace.V1;
using OpenTelemetry.Proto.Common.V1;
using OpenTelemetry.Proto.Logs.V1;
using OpenTelemetry.Proto.Metrics.V1;
using OpenTelemetry.Proto.Resource.V1;
using OpenTelemetry.Proto.Trace.V1;

namespace MlOps.Tests.Dashboard;

/// <summary>Hand-built OTLP messages, well-formed or deliberately not.</summary>
public static class OtlpMessages
{
    private static readonly ulong s_now = (ulong)(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1_000_000);

    public static Resource Resource(string service, string? instance = null)
    {
        var resource = new Resource { Attributes = { Attribute("service.name", service) } };
        if (instance is not null)
        {
            resource.Attributes.Add(Attribute("service.instance.id", instance));
        }

        return resource;
    }

    public static KeyValue Attribute(string key, string value) => new() { Key = key, Value = new AnyValue { StringValue = value } };

    public static ByteString Id(int length, int seed)
    {
        var bytes = new byte[length];
        BitConverter.GetBytes(seed + 1).CopyTo(bytes, 0);
        return ByteString.CopyFrom(bytes);
    }

    public static Span Span(int trace, int span, string name, int? parent = null, int durationMs = 10) => new()
    {
        TraceId = Id(16, trace),
        SpanId = Id(8, span),
        ParentSpanId = parent is { } p ? Id(8, p) : ByteString.Empty,
        Name = name,
        Kind = OpenTelemetry.Proto.Trace.V1.Span.Types.SpanKind.Internal,
        StartTimeUnixNano = s_now,
        EndTimeUnixNano = s_now + ((ulong)durationMs * 1_000_000),
    };

    public static ExportTraceServiceRequest Traces(Resource? resource, params Span[] spans) => new()
    {
        ResourceSpans = { new ResourceSpans { Resource = resource, ScopeSpans = { new ScopeSpans { Spans = { spans } } } } },
    };

    public static LogRecord Log(string message, ByteString? traceId = null) => new()
    {
        TimeUnixNano = s_now,
        SeverityNumber = SeverityNumber.Info,
        SeverityText = "Information",
        Body = new AnyValue { StringValue = message },
        TraceId = traceId ?? ByteString.Empty,
    };

    public static ExportLogsServiceRequest Logs(Resource? resource, params LogRecord[] records) => new()
    {
        ResourceLogs = { new ResourceLogs { Resource = resource, ScopeLogs = { new ScopeLogs { LogRecords = { records } } } } },
    };

    public static NumberDataPoint Number(double value, ulong? time = null) => new() { TimeUnixNano = time ?? s_now, AsDouble = value };

    public static ExportMetricsServiceRequest Gauge(Resource? resource, string name, params NumberDataPoint[] points) => Metrics(resource,
        new Metric { Name = name, Unit = "1", Gauge = new Gauge { DataPoints = { points } } });

    public static ExportMetricsServiceRequest Metrics(Resource? resource, params Metric[] metrics) => new()
    {
        ResourceMetrics = { new ResourceMetrics { Resource = resource, ScopeMetrics = { new ScopeMetrics { Metrics = { metrics } } } } },
    };
}
