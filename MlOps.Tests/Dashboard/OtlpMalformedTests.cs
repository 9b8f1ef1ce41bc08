using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using MlOps.Tests.Infrastructure;
using OpenTelemetry.Proto.Collector.Logs.V1;
using OpenTelemetry.Proto.Collector.Metrics.V1;
using OpenTelemetry.Proto.Collector.Trace.V1;
using OpenTelemetry.Proto.Metrics.V1;
using static MlOps.Tests.Dashboard.OtlpMessages;

namespace MlOps.Tests.Dashboard;

/// <summary>Hand-built OTLP over HTTP and gRPC: malformed records are skipped and reported as partial success, the API key
/// is enforced, gzip bodies are accepted.</summary>
public sealed class OtlpMalformedTests
{
    private static readonly Metadata s_keyHeader = [new Metadata.Entry("x-otlp-api-key", DashboardTestHost.ApiKey)];

    [Fact]
    public async Task HttpTraces_BadIdsAndMissingResource_ArePartialSuccess()
    {
        await using var host = await DashboardTestHost.StartAsync();
        var shortTraceId = Span(2, 2, "short-trace-id");
        shortTraceId.TraceId = ByteString.CopyFrom(1, 2, 3, 4);
        var zeroSpanId = Span(3, 3, "zero-span-id");
        zeroSpanId.SpanId = ByteString.CopyFrom(new byte[8]);
        var request = Traces(Resource("api"), Span(1, 1, "good"), shortTraceId, zeroSpanId);
        request.ResourceSpans.Add(Traces(null, Span(4, 4, "orphan-a"), Span(4, 5, "orphan-b")).ResourceSpans);

        using var response = await PostAsync(host, "/v1/traces", request.ToByteArray(), gzip: false);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = ExportTraceServiceResponse.Parser.ParseFrom(await response.Content.ReadAsByteArrayAsync().DefaultTimeout());
        Assert.Equal(4, result.PartialSuccess.RejectedSpans);
        Assert.Contains("trace_id", result.PartialSuccess.ErrorMessage, StringComparison.Ordinal);
        Assert.Contains("resource missing", result.PartialSuccess.ErrorMessage, StringComparison.Ordinal);

        var trace = Assert.Single(host.Repository.GetTraces(new()));
        Assert.Equal("good", trace.RootName);
        var overview = host.Repository.GetOverview();
        Assert.Equal(2, Assert.Single(overview.Resources).RejectedCount);
        Assert.Equal(2, overview.RejectedWithoutResourceCount);
    }

    [Fact]
    public async Task HttpTraces_WellFormed_HaveNoPartialSuccess()
    {
        await using var host = await DashboardTestHost.StartAsync();
        using var response = await PostAsync(host, "/v1/traces", Traces(Resource("api"), Span(1, 1, "good")).ToByteArray(), gzip: false);
        var result = ExportTraceServiceResponse.Parser.ParseFrom(await response.Content.ReadAsByteArrayAsync().DefaultTimeout());
        Assert.Null(result.PartialSuccess);
    }

    [Fact]
    public async Task GrpcLogsAndMetrics_Malformed_ArePartialSuccess()
    {
        await using var host = await DashboardTestHost.StartAsync();
        using var channel = GrpcChannel.ForAddress(host.GrpcAddress);

        var logs = await new LogsService.LogsServiceClient(channel).ExportAsync(
            Logs(Resource("trainer"), Log("fine"), Log("bad trace id", ByteString.CopyFrom(1, 2, 3)), Log("fine too")), s_keyHeader).ResponseAsync.DefaultTimeout();
        Assert.Equal(1, logs.PartialSuccess.RejectedLogRecords);
        Assert.Contains("trace_id", logs.PartialSuccess.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(2, host.Repository.GetLogs(new() { Resource = "trainer" }).Count);

        var badHistogram = new Metric
        {
            Name = "latency",
            Histogram = new Histogram { DataPoints = { new HistogramDataPoint { TimeUnixNano = 1, Count = 1, BucketCounts = { 1, 0 }, ExplicitBounds = { 1, 2, 3 } } } },
        };
        var request = Metrics(Resource("trainer"), badHistogram);
        request.ResourceMetrics.Add(Gauge(Resource("trainer"), "loss", Number(0.5), Number(0.4, time: 0)).ResourceMetrics);
        var metrics = await new MetricsService.MetricsServiceClient(channel).ExportAsync(request, s_keyHeader).ResponseAsync.DefaultTimeout();
        Assert.Equal(2, metrics.PartialSuccess.RejectedDataPoints);
        Assert.Contains("bucket counts", metrics.PartialSuccess.ErrorMessage, StringComparison.Ordinal);
        Assert.Single(host.Repository.GetMetric("trainer", "loss")!.Points);
    }

    [Fact]
    public async Task ApiKey_MissingOrWrong_IsRefusedOnBothTransports()
    {
        await using var host = await DashboardTestHost.StartAsync();
        using var channel = GrpcChannel.ForAddress(host.GrpcAddress);
        var client = new TraceService.TraceServiceClient(channel);
        var request = Traces(Resource("api"), Span(1, 1, "op"));

        var refused = await Assert.ThrowsAsync<RpcException>(() => client.ExportAsync(request).ResponseAsync.DefaultTimeout());
        Assert.Equal(StatusCode.Unauthenticated, refused.StatusCode);
        var wrong = await Assert.ThrowsAsync<RpcException>(() =>
            client.ExportAsync(request, [new Metadata.Entry("x-otlp-api-key", "nope")]).ResponseAsync.DefaultTimeout());
        Assert.Equal(StatusCode.Unauthenticated, wrong.StatusCode);
        using (var response = await PostAsync(host, "/v1/traces", request.ToByteArray(), gzip: false, apiKey: null))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        using (var response = await PostAsync(host, "/v1/traces", request.ToByteArray(), gzip: false, apiKey: "nope"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        Assert.Empty(host.Repository.GetOverview().Resources);
        await client.ExportAsync(request, s_keyHeader).ResponseAsync.DefaultTimeout();
        Assert.Single(host.Repository.GetOverview().Resources);
    }

    [Fact]
    public async Task ApiKey_NotConfigured_AcceptsEveryone()
    {
        await using var host = await DashboardTestHost.StartAsync(apiKey: null);
        using var channel = GrpcChannel.ForAddress(host.GrpcAddress);
        await new TraceService.TraceServiceClient(channel).ExportAsync(Traces(Resource("api"), Span(1, 1, "op"))).ResponseAsync.DefaultTimeout();
        Assert.Single(host.Repository.GetTraces(new()));
    }

    [Fact]
    public async Task HttpLogs_GzipBody_IsAccepted()
    {
        await using var host = await DashboardTestHost.StartAsync();
        using var response = await PostAsync(host, "/v1/logs", Logs(Resource("serving", "s-1"), Log("zipped")).ToByteArray(), gzip: true);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Null(ExportLogsServiceResponse.Parser.ParseFrom(await response.Content.ReadAsByteArrayAsync().DefaultTimeout()).PartialSuccess);
        Assert.Equal("zipped", Assert.Single(host.Repository.GetLogs(new() { Resource = "serving-s-1" })).Message);
    }

    [Fact]
    public async Task Http_JsonOrGarbage_IsAClientError()
    {
        await using var host = await DashboardTestHost.StartAsync();
        using var http = new HttpClient { BaseAddress = host.HttpAddress };
        using var json = new HttpRequestMessage(HttpMethod.Post, new Uri("/v1/traces", UriKind.Relative)) { Content = new ByteArrayContent("{}"u8.ToArray()) };
        json.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        json.Headers.Add("x-otlp-api-key", DashboardTestHost.ApiKey);
        using (var response = await http.SendAsync(json).DefaultTimeout())
        {
            Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        }

        using var garbage = await PostAsync(host, "/v1/metrics", [0xFF, 0xFF, 0xFF], gzip: false);
        Assert.Equal(HttpStatusCode.BadRequest, garbage.StatusCode);
    }

    private static async Task<HttpResponseMessage> PostAsync(DashboardTestHost host, string path, byte[] body, bool gzip, string? apiKey = DashboardTestHost.ApiKey)
    {
        if (gzip)
        {
            using var compressed = new MemoryStream();
            await using (var zip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
            {
                await zip.WriteAsync(body).DefaultTimeout();
            }

            body = compressed.ToArray();
        }

        using var http = new HttpClient { BaseAddress = host.HttpAddress };
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative)) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-protobuf");
        if (gzip)
        {
            request.Content.Headers.ContentEncoding.Add("gzip");
        }

        if (apiKey is not null)
        {
            request.Headers.Add("x-otlp-api-key", apiKey);
        }

        return await http.SendAsync(request).DefaultTimeout();
    }
}
