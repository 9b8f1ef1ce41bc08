using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using MlOps.Dashboard.Telemetry;
using OpenTelemetry.Exporter;

namespace MlOps.Tests.Dashboard;

/// <summary>Real OTLP from the OpenTelemetry .NET SDK's exporter, over gRPC and over HTTP/protobuf, read back through the
/// store and the JSON API.</summary>
public sealed class OtlpSdkIngestionTests
{
    public static TheoryData<OtlpExportProtocol> Protocols => [OtlpExportProtocol.Grpc, OtlpExportProtocol.HttpProtobuf];

    [Theory]
    [MemberData(nameof(Protocols))]
    public async Task Traces_SpansOfTwoServices_AssembleIntoOneTrace(OtlpExportProtocol protocol)
    {
        await using var host = await DashboardTestHost.StartAsync();
        using var frontend = new OtelSdkSender(host, protocol, "frontend", "frontend-1");
        using var backend = new OtelSdkSender(host, protocol, "backend", "backend-1");

        string traceId;
        using (var root = frontend.Source.StartActivity("GET /predict", ActivityKind.Server)!)
        {
            traceId = root.TraceId.ToHexString();
            root.SetTag("http.request.method", "GET");
            using (var child = backend.Source.StartActivity("score", ActivityKind.Internal, root.Context)!)
            {
                child.SetTag("rows", 3);
                child.AddEvent(new ActivityEvent("model loaded"));
                child.SetStatus(ActivityStatusCode.Error, "threshold missing");
            }
        }

        Assert.True(frontend.Flush() & backend.Flush(), "the SDK could not export");

        var trace = host.Repository.GetTrace(traceId);
        Assert.NotNull(trace);
        Assert.Equal(2, trace.Summary.SpanCount);
        Assert.Equal("GET /predict", trace.Summary.RootName);
        Assert.Equal(["backend", "frontend"], trace.Summary.Services.Order());
        Assert.True(trace.Summary.HasError);
        var score = Assert.Single(trace.Spans, s => s.Name == "score");
        Assert.Equal(trace.Spans.Single(s => s.Name == "GET /predict").SpanId, score.ParentSpanId);
        Assert.Equal("backend-backend-1", score.Resource);

        var json = await host.GetJsonAsync($"/api/traces/{traceId}");
        Assert.Equal("GET /predict", json.GetProperty("summary").GetProperty("rootName").GetString());
        var spans = json.GetProperty("spans").EnumerateArray().ToArray();
        var scoreJson = spans.Single(s => s.GetProperty("name").GetString() == "score");
        Assert.Equal("backend", scoreJson.GetProperty("service").GetString());
        Assert.Equal("Error", scoreJson.GetProperty("status").GetString());
        Assert.Contains(scoreJson.GetProperty("attributes").EnumerateArray(), a => a.GetProperty("key").GetString() == "rows" && a.GetProperty("value").GetString() == "3");
        Assert.Equal("model loaded", scoreJson.GetProperty("events")[0].GetProperty("name").GetString());

        var list = await host.GetJsonAsync("/api/traces?resource=backend");
        var summary = Assert.Single(list.EnumerateArray());
        Assert.Equal(traceId, summary.GetProperty("traceId").GetString());
        Assert.Equal(2, summary.GetProperty("spanCount").GetInt32());
        Assert.Empty((await host.GetJsonAsync("/api/traces?minDurationMs=600000")).EnumerateArray());
    }

    [Theory]
    [MemberData(nameof(Protocols))]
    public async Task Logs_WithTraceIdsAndAttributes_AreStoredPerResource(OtlpExportProtocol protocol)
    {
        await using var host = await DashboardTestHost.StartAsync();
        using var serving = new OtelSdkSender(host, protocol, "serving", "serving-1");

        string traceId;
        using (var activity = serving.Source.StartActivity("predict")!)
        {
            traceId = activity.TraceId.ToHexString();
            serving.Logger.LogWarning("Scored {RowCount} rows with model {Model}", 42, "fraud-detector");
        }

        serving.Logger.LogInformation("Idle");
        Assert.True(serving.Flush(), "the SDK could not export");

        var logs = host.Repository.GetLogs(new TelemetryLogQuery { TraceId = traceId });
        var entry = Assert.Single(logs);
        Assert.Equal(TelemetrySeverity.Warning, entry.Severity);
        Assert.Equal("serving-serving-1", entry.Resource);
        Assert.Contains(new KeyValuePair<string, string>("RowCount", "42"), entry.Attributes);
        Assert.Contains(new KeyValuePair<string, string>("Model", "fraud-detector"), entry.Attributes);
        Assert.NotNull(entry.SpanId);

        var json = await host.GetJsonAsync("/api/logs?resource=serving&level=warning");
        var only = Assert.Single(json.EnumerateArray());
        Assert.Equal(traceId, only.GetProperty("traceId").GetString());
        Assert.Equal("Warning", only.GetProperty("severity").GetString());
        Assert.Equal(2, (await host.GetJsonAsync("/api/logs?resource=serving-serving-1")).GetArrayLength());
        Assert.Single((await host.GetJsonAsync("/api/logs?text=fraud-DETECTOR")).EnumerateArray());
        Assert.Empty((await host.GetJsonAsync("/api/logs?resource=nobody")).EnumerateArray());

        var resources = await host.GetJsonAsync("/api/telemetry/resources");
        var serving1 = Assert.Single(resources.GetProperty("resources").EnumerateArray());
        Assert.Equal("serving", serving1.GetProperty("serviceName").GetString());
        Assert.Equal("serving-1", serving1.GetProperty("instanceId").GetString());
        Assert.Equal(2, serving1.GetProperty("logCount").GetInt32());
        Assert.Equal(0, serving1.GetProperty("droppedLogCount").GetInt64());
    }

    [Theory]
    [MemberData(nameof(Protocols))]
    public async Task Metrics_CounterAndHistogram_HavePointsAndPercentiles(OtlpExportProtocol protocol)
    {
        await using var host = await DashboardTestHost.StartAsync();
        using var serving = new OtelSdkSender(host, protocol, "serving", "serving-1");
        var predictions = serving.Meter.CreateCounter<long>("predictions", "{prediction}", "Predictions made");
        var latency = serving.Meter.CreateHistogram<double>("predict.duration", "ms", "Time to score one request");
        predictions.Add(7);
        predictions.Add(5);
        for (var ms = 1; ms <= 100; ms++)
        {
            latency.Record(ms);
        }

        Assert.True(serving.Flush(), "the SDK could not export");

        var instruments = host.Repository.GetInstruments("serving");
        var counter = Assert.Single(instruments, i => i.Name == "predictions");
        Assert.Equal(TelemetryMetricKind.Sum, counter.Kind);
        Assert.True(counter.IsMonotonic);
        Assert.Equal("{prediction}", counter.Unit);
        Assert.Equal(12, host.Repository.GetMetric("serving", "predictions")!.Points[^1].Value);

        var histogram = host.Repository.GetMetric("serving-serving-1", "predict.duration")!;
        Assert.Equal(TelemetryMetricKind.Histogram, histogram.Instrument.Kind);
        var point = histogram.Points[^1];
        Assert.Equal(100UL, point.Count);
        Assert.Equal(5050, point.Sum);
        Assert.InRange(point.P50!.Value, 45, 55);
        Assert.InRange(point.P90!.Value, 85, 100);
        Assert.InRange(point.P99!.Value, 95, 100);

        var list = await host.GetJsonAsync("/api/metrics?resource=serving");
        Assert.Contains(list.EnumerateArray(), i => i.GetProperty("name").GetString() == "predict.duration" && i.GetProperty("kind").GetString() == "Histogram");
        var series = await host.GetJsonAsync("/api/metrics/serving/predict.duration");
        var last = series.GetProperty("points").EnumerateArray().Last();
        Assert.InRange(last.GetProperty("p50").GetDouble(), 45, 55);
        Assert.Equal(JsonValueKind.Array, last.GetProperty("bucketCounts").ValueKind);
    }

    [Fact]
    public async Task Export_WithoutApiKey_IsRefusedAndStoresNothing()
    {
        await using var host = await DashboardTestHost.StartAsync();
        using var intruder = new OtelSdkSender(host, OtlpExportProtocol.Grpc, "intruder", "i-1", apiKey: null);
        using (intruder.Source.StartActivity("sneak"))
        {
        }

        intruder.Flush();
        Assert.Empty(host.Repository.GetOverview().Resources);
    }
}
