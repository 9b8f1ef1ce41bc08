using Microsoft.Extensions.Logging;
using MlOps.Dashboard.Telemetry;
using OpenTelemetry.Proto.Collector.Metrics.V1;
using OpenTelemetry.Proto.Metrics.V1;
using static MlOps.Dashboard.Otlp.OtlpConversions;

namespace MlOps.Dashboard.Otlp;

/// <summary>Receives OTLP metrics, whatever the transport: valid data points go to their resource's metric store;
/// malformed ones (no time, no value, bucket counts that do not match the bounds, no resource, no name) are counted,
/// logged and skipped (partial success).</summary>
public sealed class OtlpMetricsService(TelemetryRepository repository, ILogger<OtlpMetricsService> logger)
{
    /// <summary>Stores the request's data points; <c>partial_success</c> is set only when some were rejected.</summary>
    public ExportMetricsServiceResponse Export(ExportMetricsServiceRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var rejections = new OtlpRejections();
        foreach (var resourceMetrics in request.ResourceMetrics)
        {
            Export(resourceMetrics, rejections);
        }

        if (rejections.Count == 0)
        {
            return new ExportMetricsServiceResponse();
        }

        logger.LogWarning("OTLP metrics: rejected {Count} malformed data point(s): {Reasons}", rejections.Count, rejections.Message);
        return new ExportMetricsServiceResponse
        {
            PartialSuccess = new ExportMetricsPartialSuccess { RejectedDataPoints = rejections.Count, ErrorMessage = rejections.Message },
        };
    }

    private void Export(ResourceMetrics resourceMetrics, OtlpRejections rejections)
    {
        if (resourceMetrics.Resource is null)
        {
            var count = resourceMetrics.ScopeMetrics.Sum(s => s.Metrics.Sum(m => (long)Math.Max(PointCount(m), 1)));
            rejections.Add(count, "resource missing");
            repository.Rejected(null, count);
            return;
        }

        var resource = repository.GetOrAddResource(ResourceKey(resourceMetrics.Resource), () => ToAttributes(resourceMetrics.Resource.Attributes));
        long rejected = 0;
        foreach (var scopeMetrics in resourceMetrics.ScopeMetrics)
        {
            foreach (var metric in scopeMetrics.Metrics)
            {
                rejected += Export(metric, resource, ScopeName(scopeMetrics.Scope), rejections);
            }
        }

        if (rejected > 0)
        {
            repository.Rejected(resource, rejected);
        }
    }

    private static long Export(Metric metric, TelemetryResourceEntry resource, string? scope, OtlpRejections rejections)
    {
        if (string.IsNullOrEmpty(metric.Name) || metric.DataCase == Metric.DataOneofCase.None)
        {
            var count = Math.Max(PointCount(metric), 1);
            rejections.Add(count, string.IsNullOrEmpty(metric.Name) ? "metric without a name" : $"metric '{metric.Name}' without data");
            return count;
        }

        var descriptor = Describe(metric, resource, scope);
        var points = new List<TelemetryMetricPoint>(PointCount(metric));
        long rejected = 0;
        foreach (var (point, error) in OtlpMetricPoints.Convert(metric))
        {
            if (point is not null)
            {
                points.Add(point);
            }
            else if (error is not null)
            {
                rejected++;
                rejections.Add(1, $"metric '{metric.Name}': {error}");
            }
        }

        if (points.Count > 0)
        {
            resource.Metrics.Add(descriptor, points);
        }

        return rejected;
    }

    private static TelemetryInstrument Describe(Metric metric, TelemetryResourceEntry resource, string? scope) => new()
    {
        Resource = resource.Id,
        Service = resource.Key.ServiceName,
        Name = metric.Name,
        Description = NullIfEmpty(metric.Description),
        Unit = NullIfEmpty(metric.Unit),
        Kind = metric.DataCase switch
        {
            Metric.DataOneofCase.Gauge => TelemetryMetricKind.Gauge,
            Metric.DataOneofCase.Sum => TelemetryMetricKind.Sum,
            Metric.DataOneofCase.Histogram => TelemetryMetricKind.Histogram,
            Metric.DataOneofCase.ExponentialHistogram => TelemetryMetricKind.ExponentialHistogram,
            _ => TelemetryMetricKind.Summary,
        },
        IsMonotonic = metric.DataCase == Metric.DataOneofCase.Sum && metric.Sum.IsMonotonic,
        Temporality = metric.DataCase switch
        {
            Metric.DataOneofCase.Sum => Temporality(metric.Sum.AggregationTemporality),
            Metric.DataOneofCase.Histogram => Temporality(metric.Histogram.AggregationTemporality),
            Metric.DataOneofCase.ExponentialHistogram => Temporality(metric.ExponentialHistogram.AggregationTemporality),
            _ => null,
        },
        Scope = scope,
    };

    private static string? Temporality(AggregationTemporality temporality) => temporality switch
    {
        AggregationTemporality.Delta => "Delta",
        AggregationTemporality.Cumulative => "Cumulative",
        _ => null,
    };

    private static int PointCount(Metric metric) => metric.DataCase switch
    {
        Metric.DataOneofCase.Gauge => metric.Gauge.DataPoints.Count,
        Metric.DataOneofCase.Sum => metric.Sum.DataPoints.Count,
        Metric.DataOneofCase.Histogram => metric.Histogram.DataPoints.Count,
        Metric.DataOneofCase.ExponentialHistogram => metric.ExponentialHistogram.DataPoints.Count,
        Metric.DataOneofCase.Summary => metric.Summary.DataPoints.Count,
        _ => 0,
    };
}
