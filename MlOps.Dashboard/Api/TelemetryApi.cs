using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using MlOps.Dashboard.Otlp;
using MlOps.Dashboard.Peers;
using MlOps.Dashboard.Telemetry;

namespace MlOps.Dashboard.Api;

/// <summary>The telemetry JSON API: senders, structured logs, traces and metrics from the <see cref="TelemetryRepository"/>.</summary>
internal static class TelemetryApi
{
    private const int MaxLimit = 10_000;

    public static RouteGroupBuilder MapTelemetryApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api");
        api.MapGet("/telemetry/resources", (TelemetryRepository repository) => TypedResults.Ok(repository.GetOverview()));
        api.MapGet("/logs", GetLogs);
        api.MapGet("/traces", GetTraces);
        api.MapGet("/traces/{traceId}", GetTrace);
        api.MapGet("/metrics", (string? resource, TelemetryRepository repository) => TypedResults.Ok(repository.GetInstruments(resource)));
        api.MapGet("/metrics/{resource}/{instrument}", GetMetric);
        return api;
    }

    private static Results<Ok<IReadOnlyList<TelemetryLogEntry>>, ProblemHttpResult> GetLogs(
        string? resource, string? level, string? text, string? traceId, int? limit, TelemetryRepository repository)
    {
        TelemetrySeverity? severity = null;
        if (!string.IsNullOrEmpty(level) && (severity = OtlpLogsService.ParseSeverity(level)) is null)
        {
            return BadRequest("Unknown level", $"'{level}' is not a level; use trace, debug, information, warning, error or critical.");
        }

        if (InvalidLimit(limit) is { } problem)
        {
            return problem;
        }

        return TypedResults.Ok(repository.GetLogs(new TelemetryLogQuery
        {
            Resource = resource,
            MinSeverity = severity,
            Text = text,
            TraceId = traceId,
            Limit = limit ?? 100,
        }));
    }

    private static Results<Ok<IReadOnlyList<TraceSummary>>, ProblemHttpResult> GetTraces(
        string? resource, double? minDurationMs, int? limit, TelemetryRepository repository, PeerServiceResolver peers)
    {
        if (minDurationMs < 0)
        {
            return BadRequest("Invalid minDurationMs", "minDurationMs cannot be negative.");
        }

        return InvalidLimit(limit) is { } problem
            ? problem
            : TypedResults.Ok<IReadOnlyList<TraceSummary>>(repository
                .GetTraces(new TelemetryTraceQuery { Resource = resource, MinDurationMs = minDurationMs, Limit = limit ?? 100 })
                .Select(peers.Annotate).ToArray());
    }

    private static Results<Ok<TraceDetail>, ProblemHttpResult> GetTrace(string traceId, TelemetryRepository repository, PeerServiceResolver peers)
    {
        if (traceId.Length != 32 || !traceId.All(char.IsAsciiHexDigit))
        {
            return BadRequest("Invalid trace id", "A trace id is 32 hexadecimal digits.");
        }

        return repository.GetTrace(traceId) is { } trace
            ? TypedResults.Ok(peers.Annotate(trace))
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown trace",
                detail: $"Trace '{traceId}' is not stored (never received, or dropped as one of the oldest).");
    }

    private static Results<Ok<TelemetryMetricSeries>, ProblemHttpResult> GetMetric(string resource, string instrument, TelemetryRepository repository) =>
        repository.GetMetric(resource, instrument) is { } series
            ? TypedResults.Ok(series)
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown instrument",
                detail: $"No instrument '{instrument}' for resource '{resource}' (a resource id, or a service name with one instance).");

    private static ProblemHttpResult? InvalidLimit(int? limit) => limit is < 1 or > MaxLimit
        ? BadRequest("Invalid limit", $"limit must be between 1 and {MaxLimit}.")
        : null;

    private static ProblemHttpResult BadRequest(string title, string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: title, detail: detail);
}
