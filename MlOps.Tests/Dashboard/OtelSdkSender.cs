using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace MlOps.Tests.Dashboard;

/// <summary>One service instrumented with the real OpenTelemetry .NET SDK and its OTLP exporter (gRPC or
/// HTTP/protobuf), with an ActivitySource and a Meter named for this test only.</summary>
public sealed class OtelSdkSender : IDisposable
{
    private static readonly TimeSpan s_flushTimeout = TimeSpan.FromSeconds(30);
    private readonly OpenTelemetrySdk _sdk;

    public OtelSdkSender(DashboardTestHost host, OtlpExportProtocol protocol, string serviceName, string instanceId, string? apiKey = DashboardTestHost.ApiKey)
    {
        var name = $"{serviceName}.{Guid.NewGuid():N}";
        Source = new ActivitySource(name);
        Meter = new Meter(name);
        _sdk = OpenTelemetrySdk.Create(otel => otel
            .ConfigureResource(r => r.Clear().AddService(serviceName, serviceInstanceId: instanceId, autoGenerateServiceInstanceId: false))
            .WithTracing(t => t.AddSource(name).AddOtlpExporter(o => Configure(o, host, protocol, "traces", apiKey)))
            .WithMetrics(m => m.AddMeter(name).AddOtlpExporter(o => Configure(o, host, protocol, "metrics", apiKey)))
            .WithLogging(l => l.AddOtlpExporter(o => Configure(o, host, protocol, "logs", apiKey))));
        Logger = _sdk.GetLoggerFactory().CreateLogger(serviceName);
    }

    public ActivitySource Source { get; }

    public Meter Meter { get; }

    public ILogger Logger { get; }

    /// <summary>Exports whatever is buffered; true when every signal was exported in time.</summary>
    public bool Flush()
    {
        var timeout = (int)s_flushTimeout.TotalMilliseconds;
        return _sdk.TracerProvider.ForceFlush(timeout) & _sdk.MeterProvider.ForceFlush(timeout) & _sdk.LoggerProvider.ForceFlush(timeout);
    }

    public void Dispose()
    {
        _sdk.Dispose();
        Source.Dispose();
        Meter.Dispose();
    }

    private static void Configure(OtlpExporterOptions options, DashboardTestHost host, OtlpExportProtocol protocol, string signal, string? apiKey)
    {
        options.Protocol = protocol;
        options.Endpoint = protocol == OtlpExportProtocol.Grpc ? host.GrpcAddress : new Uri(host.HttpAddress, $"/v1/{signal}");
        options.TimeoutMilliseconds = (int)s_flushTimeout.TotalMilliseconds;
        if (apiKey is not null)
        {
            options.Headers = $"x-otlp-api-key={apiKey}";
        }
    }
}
