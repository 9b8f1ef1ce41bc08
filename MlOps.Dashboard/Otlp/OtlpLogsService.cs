using Microsoft.Extensions.Logging;
using MlOps.Dashboard.Telemetry;
using OpenTelemetry.Proto.Collector.Logs.V1;
using OpenTelemetry.Proto.Logs.V1;
using static MlOps.Dashboard.Otlp.OtlpConversions;

namespace MlOps.Dashboard.Otlp;

/// <summary>Receives OTLP log records, whatever the transport: valid records go to their resource's log store; malformed
/// ones (trace/span ids of the wrong length, no resource) are counted, logged and skipped (partial success).</summary>
public sealed class OtlpLogsService(TelemetryRepository repository, TimeProvider time, ILogger<OtlpLogsService> logger)
{
    /// <summary>Stores the request's log records; <c>partial_success</c> is set only when some were rejected.</summary>
    public ExportLogsServiceResponse Export(ExportLogsServiceRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var rejections = new OtlpRejections();
        foreach (var resourceLogs in request.ResourceLogs)
        {
            Export(resourceLogs, rejections);
        }

        if (rejections.Count == 0)
        {
            return new ExportLogsServiceResponse();
        }

        logger.LogWarning("OTLP logs: rejected {Count} malformed log record(s): {Reasons}", rejections.Count, rejections.Message);
        return new ExportLogsServiceResponse
        {
            PartialSuccess = new ExportLogsPartialSuccess { RejectedLogRecords = rejections.Count, ErrorMessage = rejections.Message },
        };
    }

    private void Export(ResourceLogs resourceLogs, OtlpRejections rejections)
    {
        var total = resourceLogs.ScopeLogs.Sum(s => s.LogRecords.Count);
        if (resourceLogs.Resource is null)
        {
            rejections.Add(total, "resource missing");
            repository.Rejected(null, total);
            return;
        }

        var resource = repository.GetOrAddResource(ResourceKey(resourceLogs.Resource), () => ToAttributes(resourceLogs.Resource.Attributes));
        var entries = new List<TelemetryLogEntry>(total);
        var sequence = repository.ReserveLogSequence(total);
        var now = time.GetUtcNow().UtcDateTime;
        long rejected = 0;
        foreach (var scopeLogs in resourceLogs.ScopeLogs)
        {
            var scope = ScopeName(scopeLogs.Scope);
            foreach (var record in scopeLogs.LogRecords)
            {
                if (!TryTraceKey(record.TraceId, required: false, out var traceKey) || !TrySpanKey(record.SpanId, required: false, out var spanKey))
                {
                    rejected++;
                    rejections.Add(1, $"log record: trace_id must be empty or {TraceIdLength} bytes and span_id empty or {SpanIdLength} bytes");
                    continue;
                }

                entries.Add(new TelemetryLogEntry
                {
                    Sequence = sequence++,
                    Timestamp = record.TimeUnixNano != 0 ? ToDateTime(record.TimeUnixNano)
                        : record.ObservedTimeUnixNano != 0 ? ToDateTime(record.ObservedTimeUnixNano) : now,
                    Severity = Severity(record.SeverityNumber, record.SeverityText),
                    SeverityText = NullIfEmpty(record.SeverityText),
                    Message = ToText(record.Body),
                    Attributes = ToAttributes(record.Attributes),
                    TraceKey = traceKey,
                    SpanKey = spanKey,
                    Resource = resource.Id,
                    Service = resource.Key.ServiceName,
                    Scope = scope,
                    EventName = NullIfEmpty(record.EventName),
                });
            }
        }

        resource.Logs.Add(entries);
        if (rejected > 0)
        {
            repository.Rejected(resource, rejected);
        }
    }

    internal static TelemetrySeverity Severity(SeverityNumber number, string text) => (int)number switch
    {
        >= 1 and <= 4 => TelemetrySeverity.Trace,
        >= 5 and <= 8 => TelemetrySeverity.Debug,
        >= 9 and <= 12 => TelemetrySeverity.Information,
        >= 13 and <= 16 => TelemetrySeverity.Warning,
        >= 17 and <= 20 => TelemetrySeverity.Error,
        >= 21 => TelemetrySeverity.Critical,
        _ => ParseSeverity(text) ?? TelemetrySeverity.Unspecified,
    };

    /// <summary>A level name as users and senders write it (trace, debug, info/information, warn/warning, error,
    /// fatal/critical), or null.</summary>
    public static TelemetrySeverity? ParseSeverity(string? text) => text?.Trim().ToUpperInvariant() switch
    {
        "TRACE" or "VERBOSE" => TelemetrySeverity.Trace,
        "DEBUG" => TelemetrySeverity.Debug,
        "INFO" or "INFORMATION" => TelemetrySeverity.Information,
        "WARN" or "WARNING" => TelemetrySeverity.Warning,
        "ERROR" => TelemetrySeverity.Error,
        "FATAL" or "CRITICAL" => TelemetrySeverity.Critical,
        _ => null,
    };
}
