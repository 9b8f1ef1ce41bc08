using Grpc.Core;
using OpenTelemetry.Proto.Collector.Logs.V1;
using OpenTelemetry.Proto.Collector.Metrics.V1;
using OpenTelemetry.Proto.Collector.Trace.V1;

namespace MlOps.Dashboard.Otlp;

/// <summary>OTLP/gRPC <c>TraceService/Export</c>: hands the request to <see cref="OtlpTraceService"/>.</summary>
internal sealed class OtlpGrpcTraceService(OtlpTraceService service) : TraceService.TraceServiceBase
{
    public override Task<ExportTraceServiceResponse> Export(ExportTraceServiceRequest request, ServerCallContext context) =>
        Task.FromResult(service.Export(request));
}

/// <summary>OTLP/gRPC <c>LogsService/Export</c>: hands the request to <see cref="OtlpLogsService"/>.</summary>
internal sealed class OtlpGrpcLogsService(OtlpLogsService service) : LogsService.LogsServiceBase
{
    public override Task<ExportLogsServiceResponse> Export(ExportLogsServiceRequest request, ServerCallContext context) =>
        Task.FromResult(service.Export(request));
}

/// <summary>OTLP/gRPC <c>MetricsService/Export</c>: hands the request to <see cref="OtlpMetricsService"/>.</summary>
internal sealed class OtlpGrpcMetricsService(OtlpMetricsService service) : MetricsService.MetricsServiceBase
{
    public override Task<ExportMetricsServiceResponse> Export(ExportMetricsServiceRequest request, ServerCallContext context) =>
        Task.FromResult(service.Export(request));
}
