using Grpc.Core;
using Grpc.Net.Client;
using MlOps.Dashboard.Telemetry;
using MlOps.Tests.Infrastructure;
using OpenTelemetry.Proto.Collector.Logs.V1;
using OpenTelemetry.Proto.Collector.Metrics.V1;
using OpenTelemetry.Proto.Collector.Trace.V1;
using static MlOps.Tests.Dashboard.OtlpMessages;

namespace MlOps.Tests.Dashboard;

/// <summary>The store's limits drop the oldest items first and count what they dropped.</summary>
public sealed class TelemetryLimitsTests
{
    private static readonly Metadata s_keyHeader = [new Metadata.Entry("x-otlp-api-key", DashboardTestHost.ApiKey)];

    [Fact]
    public async Task Limits_DropTheOldest_WithDropCounts()
    {
        await using var host = await DashboardTestHost.StartAsync(new TelemetryOptions { MaxTraceCount = 3, MaxLogCount = 5, MaxMetricPointCount = 4 });
        using var channel = GrpcChannel.ForAddress(host.GrpcAddress);
        var traces = new TraceService.TraceServiceClient(channel);
        var logs = new LogsService.LogsServiceClient(channel);
        var metrics = new MetricsService.MetricsServiceClient(channel);
        var resource = Resource("serving", "s-1");
        for (var i = 0; i < 10; i++)
        {
            // Each trace has a root and a child: dropping a trace drops both spans.
            await traces.ExportAsync(Traces(resource, Span(i, 2 * i, $"trace-{i}"), Span(i, (2 * i) + 1, "child", parent: 2 * i)), s_keyHeader).ResponseAsync.DefaultTimeout();
        }

        for (var i = 0; i < 12; i++)
        {
            await logs.ExportAsync(Logs(resource, Log($"log-{i}")), s_keyHeader).ResponseAsync.DefaultTimeout();
        }

        await metrics.ExportAsync(Gauge(resource, "queue.length", Enumerable.Range(0, 7).Select(i => Number(i)).ToArray()), s_keyHeader).ResponseAsync.DefaultTimeout();
        await metrics.ExportAsync(Gauge(resource, "memory", Number(100), Number(200), Number(300)), s_keyHeader).ResponseAsync.DefaultTimeout();

        Assert.Equal(["trace-9", "trace-8", "trace-7"], host.Repository.GetTraces(new()).Select(t => t.RootName));
        Assert.Null(host.Repository.GetTrace(Convert.ToHexStringLower(Id(16, 0).Span)));
        Assert.Equal(["log-11", "log-10", "log-9", "log-8", "log-7"], host.Repository.GetLogs(new()).Select(l => l.Message));
        // Seven queue points then three memory points into four slots: the oldest six go, across instruments.
        Assert.Equal([6.0], host.Repository.GetMetric("serving", "queue.length")!.Points.Select(p => p.Value!.Value));
        Assert.Equal(3, host.Repository.GetMetric("serving", "memory")!.Points.Count);

        var overview = await host.GetJsonAsync("/api/telemetry/resources");
        Assert.Equal(3, overview.GetProperty("traceCount").GetInt32());
        Assert.Equal(7, overview.GetProperty("droppedTraceCount").GetInt64());
        var serving = Assert.Single(overview.GetProperty("resources").EnumerateArray());
        Assert.Equal("serving-s-1", serving.GetProperty("id").GetString());
        Assert.Equal(6, serving.GetProperty("spanCount").GetInt64());
        Assert.Equal(14, serving.GetProperty("droppedSpanCount").GetInt64());
        Assert.Equal(5, serving.GetProperty("logCount").GetInt32());
        Assert.Equal(7, serving.GetProperty("droppedLogCount").GetInt64());
        Assert.Equal(4, serving.GetProperty("metricPointCount").GetInt32());
        Assert.Equal(6, serving.GetProperty("droppedMetricPointCount").GetInt64());
        Assert.Equal(2, serving.GetProperty("instrumentCount").GetInt32());
    }

    [Fact]
    public async Task Logs_PerResource_AreBoundedSeparately()
    {
        await using var host = await DashboardTestHost.StartAsync(new TelemetryOptions { MaxLogCount = 2 });
        using var channel = GrpcChannel.ForAddress(host.GrpcAddress);
        var logs = new LogsService.LogsServiceClient(channel);
        await logs.ExportAsync(Logs(Resource("noisy"), Log("a"), Log("b"), Log("c"), Log("d")), s_keyHeader).ResponseAsync.DefaultTimeout();
        await logs.ExportAsync(Logs(Resource("quiet"), Log("only")), s_keyHeader).ResponseAsync.DefaultTimeout();

        Assert.Equal(["d", "c"], host.Repository.GetLogs(new() { Resource = "noisy" }).Select(l => l.Message));
        Assert.Equal(["only"], host.Repository.GetLogs(new() { Resource = "quiet" }).Select(l => l.Message));
        var counts = host.Repository.GetOverview().Resources.ToDictionary(r => r.Id, r => r.DroppedLogCount);
        Assert.Equal(2, counts["noisy"]);
        Assert.Equal(0, counts["quiet"]);
    }
}
