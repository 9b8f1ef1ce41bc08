using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.StaticFiles;
using MlOps.Tracking.Infrastructure;
using MlOps.Tracking.Runs;

namespace MlOps.Tracking.Artifacts;

internal static class ArtifactsApi
{
    private const string Scheme = "mlflow-artifacts:/";
    private static readonly FileExtensionContentTypeProvider s_contentTypes = new();

    public static IEndpointRouteBuilder MapArtifacts(this IEndpointRouteBuilder app)
    {
        app.MapPut("/api/2.0/mlflow-artifacts/artifacts/{**path}", UploadAsync);
        app.MapGet("/api/2.0/mlflow-artifacts/artifacts/{**path}", Download);
        app.MapGet("/api/2.0/mlflow-artifacts/artifacts", ListProxied);
        app.MapGet("/api/2.0/mlflow/artifacts/list", ListRunAsync);
        return app;
    }

    private static async Task<Ok<Empty>> UploadAsync(string path, HttpContext context, ArtifactStore store)
    {
        // Artifacts can be large models: no body size limit, and the body streams straight to disk.
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = null;
        }

        await store.WriteAsync(path, context.Request.Body, context.RequestAborted);
        return TypedResults.Ok(Empty.Instance);
    }

    private static PhysicalFileHttpResult Download(string path, ArtifactStore store)
    {
        var full = store.Resolve(path);
        if (!File.Exists(full))
        {
            // MLflow's proxy answers a missing artifact with a 500 INTERNAL_ERROR; clients rely on the shape.
            throw new MlflowException(KnownErrorCodes.InternalError, $"No such file or directory: '{path}'");
        }

        return TypedResults.PhysicalFile(full, ContentType(full), Path.GetFileName(full), enableRangeProcessing: true);
    }

    private static Ok<ListArtifactsResponse> ListProxied(string? path, ArtifactStore store)
    {
        var relative = (path ?? "").TrimEnd('/');
        return TypedResults.Ok(new ListArtifactsResponse(null, store.List(relative, relative)));
    }

    private static async Task<Ok<ListArtifactsResponse>> ListRunAsync(
        [FromQuery(Name = "run_id")] string? runId, [FromQuery(Name = "run_uuid")] string? runUuid, string? path, RunStore runs, ArtifactStore store, CancellationToken cancellationToken)
    {
        runId = Require.NotEmpty(runId ?? runUuid, "run_id");
        var run = await runs.GetAsync(runId, cancellationToken) ?? throw RunStore.RunNotFound(runId);
        var rootUri = run.Info.ArtifactUri;
        if (!rootUri.StartsWith(Scheme, StringComparison.Ordinal))
        {
            throw MlflowException.InvalidParameter($"Run {runId} stores its artifacts at '{rootUri}', which this server does not serve.");
        }

        var runRoot = rootUri[Scheme.Length..].Trim('/');
        var sub = (path ?? "").Trim('/');
        store.Resolve(sub);
        var folder = sub.Length == 0 ? runRoot : $"{runRoot}/{sub}";
        return TypedResults.Ok(new ListArtifactsResponse(rootUri, store.List(folder, runRoot)));
    }

    private static string ContentType(string file) =>
        s_contentTypes.TryGetContentType(file, out var type) ? type
        : Path.HasExtension(file) ? "application/octet-stream"
        : "text/plain"; // MLmodel and friends, as MLflow answers them.

    internal sealed record ListArtifactsResponse(string? RootUri, IReadOnlyList<FileInfoEntry> Files);
}
