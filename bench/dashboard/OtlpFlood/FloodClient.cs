using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using OpenTelemetry.Proto.Collector.Logs.V1;
using OpenTelemetry.Proto.Collector.Trace.V1;
using OpenTelemetry.Proto.Common.V1;
using OpenTelemetry.Proto.Logs.V1;
using OpenTelemetry.Proto.Resource.V1;
using OpenTelemetry.Proto.Trace.V1;
using Status = OpenTelemetry.Proto.Trace.V1.Status;

namespace OtlpFlood;

/// <summary>One exporter-like client on its own HTTP/2 connection: alternately sends a batch of spans and a batch of
/// log records, with fresh trace and span ids each time (so the store sees new traces, as under real load).</summary>
internal sealed class FloodClient : IDisposable
{
    private readonly GrpcChannel _channel;
    private readonly TraceService.TraceServiceClient _traces;
    private readonly LogsService.LogsServiceClient _logs;
    private readonly Metadata _headers;
    private readonly ExportTraceServiceRequest _traceRequest;
    private readonly ExportLogsServiceRequest _logRequest;
    private readonly List<(Span Span, byte[] TraceId, byte[] SpanId, byte[] ParentId)> _spans = [];
    private readonly List<(LogRecord Record, byte[] TraceId)> _records = [];
    private readonly int _spansPerTrace;
    private readonly long _clientBits;
    private long _nextId;

    public FloodClient(Uri target, string? apiKey, int client, int spansPerBatch, int logsPerBatch, int spansPerTrace)
    {
        _channel = GrpcChannel.ForAddress(target, new GrpcChannelOptions { MaxSendMessageSize = 64 * 1024 * 1024 });
        _traces = new TraceService.TraceServiceClient(_channel);
        _logs = new LogsService.LogsServiceClient(_channel);
        _headers = apiKey is null ? [] : [new Metadata.Entry("x-otlp-api-key", apiKey)];
        _spansPerTrace = spansPerTrace;
        _clientBits = (long)client << 48;
        var resource = new Resource
        {
            Attributes =
            {
                Attribute("service.name", "flood"),
                Attribute("service.instance.id", $"client-{client}"),
                Attribute("telemetry.sdk.language", "dotnet"),
            },
        };
        var scopeSpans = new ScopeSpans { Scope = new InstrumentationScope { Name = "OtlpFlood" } };
        for (var i = 0; i < spansPerBatch; i++)
        {
            var ids = (new byte[16], new byte[8], new byte[8]);
            var span = new Span
            {
                TraceId = UnsafeByteOperations.UnsafeWrap(ids.Item1),
                SpanId = UnsafeByteOperations.UnsafeWrap(ids.Item2),
                ParentSpanId = i % spansPerTrace == 0 ? ByteString.Empty : UnsafeByteOperations.UnsafeWrap(ids.Item3),
                Name = i % spansPerTrace == 0 ? "POST /predict" : $"score step {i % spansPerTrace}",
                Kind = i % spansPerTrace == 0 ? Span.Types.SpanKind.Server : Span.Types.SpanKind.Internal,
                Attributes = { Attribute("http.route", "/predict"), Attribute("model.version", "3"), Attribute("rows", "1") },
                Status = new Status { Code = i % 97 == 0 ? Status.Types.StatusCode.Error : Status.Types.StatusCode.Unset },
            };
            scopeSpans.Spans.Add(span);
            _spans.Add((span, ids.Item1, ids.Item2, ids.Item3));
        }

        _traceRequest = new ExportTraceServiceRequest { ResourceSpans = { new ResourceSpans { Resource = resource, ScopeSpans = { scopeSpans } } } };
        var scopeLogs = new ScopeLogs { Scope = new InstrumentationScope { Name = "MlOps.Serving.Scoring" } };
        for (var i = 0; i < logsPerBatch; i++)
        {
            var traceId = new byte[16];
            var record = new LogRecord
            {
                SeverityNumber = i % 10 == 0 ? SeverityNumber.Warn : SeverityNumber.Info,
                SeverityText = i % 10 == 0 ? "Warning" : "Information",
                Body = new AnyValue { StringValue = "Scored 1 row with model fraud-detector/3 in 0.2 ms" },
                Attributes = { Attribute("RowCount", "1"), Attribute("Model", "fraud-detector") },
                TraceId = UnsafeByteOperations.UnsafeWrap(traceId),
            };
            scopeLogs.LogRecords.Add(record);
            _records.Add((record, traceId));
        }

        _logRequest = new ExportLogsServiceRequest { ResourceLogs = { new ResourceLogs { Resource = resource, ScopeLogs = { scopeLogs } } } };
    }

    private long _spansAccepted;
    private long _logsAccepted;

    public long SpansAccepted => Interlocked.Read(ref _spansAccepted);

    public long LogsAccepted => Interlocked.Read(ref _logsAccepted);

    public async Task RunAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            Refresh();
            var traces = await _traces.ExportAsync(_traceRequest, _headers, cancellationToken: CancellationToken.None).ResponseAsync.ConfigureAwait(false);
            Interlocked.Add(ref _spansAccepted, _spans.Count - (traces.PartialSuccess?.RejectedSpans ?? 0));
            if (_records.Count > 0)
            {
                var logs = await _logs.ExportAsync(_logRequest, _headers, cancellationToken: CancellationToken.None).ResponseAsync.ConfigureAwait(false);
                Interlocked.Add(ref _logsAccepted, _records.Count - (logs.PartialSuccess?.RejectedLogRecords ?? 0));
            }
        }
    }

    public void Dispose() => _channel.Dispose();

    // New ids and times in the wrapped arrays: safe because the previous call has completed (and was serialized).
    private void Refresh()
    {
        var now = (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1_000_000;
        byte[]? rootSpanId = null;
        for (var i = 0; i < _spans.Count; i++)
        {
            var (span, traceId, spanId, parentId) = _spans[i];
            if (i % _spansPerTrace == 0)
            {
                BitConverter.TryWriteBytes(traceId, _clientBits | ++_nextId);
                rootSpanId = spanId;
            }
            else
            {
                _spans[i - (i % _spansPerTrace)].TraceId.CopyTo(traceId, 0);
                rootSpanId!.CopyTo(parentId, 0);
            }

            traceId[15] = 1;
            BitConverter.TryWriteBytes(spanId, _clientBits | ++_nextId);
            span.StartTimeUnixNano = now + ((ulong)(i % _spansPerTrace) * 100_000);
            span.EndTimeUnixNano = now + 2_000_000;
        }

        for (var i = 0; i < _records.Count; i++)
        {
            var (record, traceId) = _records[i];
            _spans[i % _spans.Count].TraceId.CopyTo(traceId, 0);
            record.TimeUnixNano = now;
        }
    }

    private static KeyValue Attribute(string key, string value) => new() { Key = key, Value = new AnyValue { StringValue = value } };
}
