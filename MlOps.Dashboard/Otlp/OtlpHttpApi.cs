using System.IO.Compression;
using Google.Protobuf;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using OpenTelemetry.Proto.Collector.Logs.V1;
using OpenTelemetry.Proto.Collector.Metrics.V1;
using OpenTelemetry.Proto.Collector.Trace.V1;

namespace MlOps.Dashboard.Otlp;

/// <summary>OTLP/HTTP with protobuf bodies: <c>POST /v1/traces</c>, <c>/v1/logs</c>, <c>/v1/metrics</c>
/// (<c>Content-Encoding: gzip</c> accepted), each handing the request to the signal's export service.</summary>
internal static class OtlpHttpApi
{
    public const string ProtobufContentType = "application/x-protobuf";

    /// <summary>Largest accepted body, after decompression.</summary>
    public const int MaxBodyBytes = 64 * 1024 * 1024;

    public static IEndpointRouteBuilder MapOtlpHttp(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/v1/traces", (HttpContext context, OtlpTraceService service, OtlpApiKey key) =>
            ExportAsync(context, key, ExportTraceServiceRequest.Parser, service.Export));
        routes.MapPost("/v1/logs", (HttpContext context, OtlpLogsService service, OtlpApiKey key) =>
            ExportAsync(context, key, ExportLogsServiceRequest.Parser, service.Export));
        routes.MapPost("/v1/metrics", (HttpContext context, OtlpMetricsService service, OtlpApiKey key) =>
            ExportAsync(context, key, ExportMetricsServiceRequest.Parser, service.Export));
        return routes;
    }

    private static async Task<IResult> ExportAsync<TRequest, TResponse>(
        HttpContext context, OtlpApiKey key, MessageParser<TRequest> parser, Func<TRequest, TResponse> export)
        where TRequest : IMessage<TRequest>
        where TResponse : IMessage<TResponse>
    {
        if (!key.Accepts(context))
        {
            return Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "OTLP API key required",
                detail: $"Send the '{OtlpApiKey.HeaderName}' header the AppHost injected.");
        }

        if (!IsProtobuf(context.Request.ContentType))
        {
            return Results.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported content type",
                detail: $"OTLP/HTTP bodies must be '{ProtobufContentType}' (OTLP/JSON is not supported).");
        }

        TRequest request;
        try
        {
            var (body, length) = await ReadBodyAsync(context.Request, context.RequestAborted).ConfigureAwait(false);
            request = parser.ParseFrom(body, 0, length);
        }
        catch (Exception ex) when (ex is InvalidProtocolBufferException or InvalidDataException or NotSupportedException)
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Malformed OTLP body", detail: ex.Message);
        }

        return Results.Bytes(export(request).ToByteArray(), ProtobufContentType);
    }

    private static async Task<(byte[] Buffer, int Length)> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var encoding = request.Headers.ContentEncoding.ToString();
        if (encoding.Length == 0 || encoding.Equals("identity", StringComparison.OrdinalIgnoreCase))
        {
            return await ReadAllAsync(request.Body, request.ContentLength, cancellationToken).ConfigureAwait(false);
        }

        if (!encoding.Equals("gzip", StringComparison.OrdinalIgnoreCase))
        {
            throw new NotSupportedException($"Content-Encoding '{encoding}' is not supported (use gzip or none).");
        }

        var gzip = new GZipStream(request.Body, CompressionMode.Decompress, leaveOpen: true);
        await using (gzip.ConfigureAwait(false))
        {
            return await ReadAllAsync(gzip, null, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<(byte[] Buffer, int Length)> ReadAllAsync(Stream body, long? contentLength, CancellationToken cancellationToken)
    {
        var buffer = new byte[contentLength is > 0 and <= MaxBodyBytes ? (int)contentLength + 1 : 16 * 1024];
        var length = 0;
        int read;
        while ((read = await body.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false)) > 0)
        {
            length += read;
            if (length == buffer.Length)
            {
                if (length >= MaxBodyBytes)
                {
                    throw new InvalidDataException($"The body is larger than {MaxBodyBytes} bytes.");
                }

                Array.Resize(ref buffer, Math.Min(buffer.Length * 2, MaxBodyBytes + 1));
            }
        }

        return (buffer, length);
    }

    private static bool IsProtobuf(string? contentType) =>
        contentType is not null && contentType.Split(';')[0].Trim().Equals(ProtobufContentType, StringComparison.OrdinalIgnoreCase);
}
