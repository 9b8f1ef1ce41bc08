namespace Microsoft.Extensions.Hosting;

/// <summary>The OpenTelemetry environment variables the host sets and the services read (OpenTelemetry spec names).</summary>
public static class KnownOtelEnvironment
{
    /// <summary>The OTLP endpoint; exporting is on only when it is set.</summary>
    public const string ExporterEndpoint = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>The OTLP protocol: <c>grpc</c> or <c>http/protobuf</c>.</summary>
    public const string ExporterProtocol = "OTEL_EXPORTER_OTLP_PROTOCOL";

    /// <summary>Headers sent with every export, e.g. the dashboard's API key.</summary>
    public const string ExporterHeaders = "OTEL_EXPORTER_OTLP_HEADERS";

    /// <summary>The service name the telemetry is reported under.</summary>
    public const string ServiceName = "OTEL_SERVICE_NAME";

    /// <summary>Extra resource attributes, e.g. <c>service.instance.id=…</c>.</summary>
    public const string ResourceAttributes = "OTEL_RESOURCE_ATTRIBUTES";
}
