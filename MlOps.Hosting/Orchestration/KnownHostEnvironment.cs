namespace MlOps.Hosting.Orchestration;

/// <summary>The environment variables the orchestrator gives processes, as Aspire does.</summary>
internal static class KnownHostEnvironment
{
    public const string OtlpEndpoint = "OTEL_EXPORTER_OTLP_ENDPOINT";
    public const string OtlpProtocol = "OTEL_EXPORTER_OTLP_PROTOCOL";
    public const string OtlpHeaders = "OTEL_EXPORTER_OTLP_HEADERS";
    public const string ServiceName = "OTEL_SERVICE_NAME";
    public const string ResourceAttributes = "OTEL_RESOURCE_ATTRIBUTES";
    public const string BatchSpanScheduleDelay = "OTEL_BSP_SCHEDULE_DELAY";
    public const string BatchLogScheduleDelay = "OTEL_BLRP_SCHEDULE_DELAY";
    public const string MetricExportInterval = "OTEL_METRIC_EXPORT_INTERVAL";
    public const string DotnetEnvironment = "DOTNET_ENVIRONMENT";
    public const string AspNetCoreEnvironment = "ASPNETCORE_ENVIRONMENT";
    public const string AspNetCoreUrls = "ASPNETCORE_URLS";
    public const string OtlpApiKeyHeader = "x-otlp-api-key";
}
