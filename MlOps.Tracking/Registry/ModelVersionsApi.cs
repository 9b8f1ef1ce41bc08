using Microsoft.AspNetCore.Http.HttpResults;
using MlOps.Tracking.Infrastructure;
using MlOps.Tracking.Runs;

namespace MlOps.Tracking.Registry;

internal static class ModelVersionsApi
{
    private const string RunsScheme = "runs:/";

    public static IEndpointRouteBuilder MapModelVersions(this IEndpointRouteBuilder app)
    {
        var versions = app.MapGroup("/api/2.0/mlflow/model-versions");
        versions.MapPost("/create", CreateAsync);
        versions.MapGet("/get", GetAsync);
        versions.MapMethods("/search", [HttpMethods.Get, HttpMethods.Post], SearchAsync);
        versions.MapPost("/set-tag", SetTagAsync);
        versions.MapGet("/get-download-uri", GetDownloadUriAsync);
        versions.MapPatch("/update", UpdateAsync);
        versions.MapDelete("/delete-tag", DeleteTagAsync);
        versions.MapDelete("/delete", DeleteAsync);
        versions.MapPost("/transition-stage", TransitionStageAsync);
        return app;
    }

    private static async Task<Ok<ModelVersionResponse>> CreateAsync(HttpRequest request, RegistryStore store)
    {
        var message = await RequestReader.ReadAsync<CreateModelVersionRequest>(request);
        return TypedResults.Ok(new ModelVersionResponse(await store.CreateVersionAsync(message, request.HttpContext.RequestAborted)));
    }

    private static async Task<Ok<ModelVersionResponse>> GetAsync(HttpRequest request, RegistryStore store)
    {
        var message = await RequestReader.ReadAsync<ModelVersionRequest>(request);
        var version = await store.GetVersionAsync(Require.NotEmpty(message.Name, "name"), message.Version, request.HttpContext.RequestAborted);
        return TypedResults.Ok(new ModelVersionResponse(version));
    }

    private static async Task<Ok<SearchModelVersionsResponse>> SearchAsync(HttpRequest request, RegistryStore store)
    {
        var message = await RequestReader.ReadAsync<SearchRequest>(request);
        return TypedResults.Ok(await store.SearchVersionsAsync(message, request.HttpContext.RequestAborted));
    }

    private static async Task<Ok<Empty>> SetTagAsync(HttpRequest request, RegistryStore store)
    {
        var message = await RequestReader.ReadAsync<ModelVersionTagRequest>(request);
        await store.SetVersionTagAsync(
            Require.NotEmpty(message.Name, "name"), message.Version, Require.NotEmpty(message.Key, "key"), message.Value ?? "",
            request.HttpContext.RequestAborted);
        return TypedResults.Ok(Empty.Instance);
    }

    private static async Task<Ok<DownloadUriResponse>> GetDownloadUriAsync(HttpRequest request, RegistryStore store, RunStore runs)
    {
        var message = await RequestReader.ReadAsync<ModelVersionRequest>(request);
        var version = await store.GetVersionAsync(Require.NotEmpty(message.Name, "name"), message.Version, request.HttpContext.RequestAborted);
        return TypedResults.Ok(new DownloadUriResponse(await ResolveAsync(version.Source, runs, request.HttpContext.RequestAborted)));
    }

    private static async Task<Ok<ModelVersionResponse>> UpdateAsync(HttpRequest request, RegistryStore store)
    {
        var message = await RequestReader.ReadAsync<UpdateModelVersionRequest>(request);
        var version = await store.UpdateVersionAsync(
            Require.NotEmpty(message.Name, "name"), message.Version, message.Description, request.HttpContext.RequestAborted);
        return TypedResults.Ok(new ModelVersionResponse(version));
    }

    private static async Task<Ok<Empty>> DeleteTagAsync(HttpRequest request, RegistryStore store)
    {
        var message = await RequestReader.ReadAsync<ModelVersionTagRequest>(request);
        await store.DeleteVersionTagAsync(
            Require.NotEmpty(message.Name, "name"), message.Version, Require.NotEmpty(message.Key, "key"), request.HttpContext.RequestAborted);
        return TypedResults.Ok(Empty.Instance);
    }

    private static async Task<Ok<Empty>> DeleteAsync(HttpRequest request, RegistryStore store)
    {
        var message = await RequestReader.ReadAsync<ModelVersionRequest>(request);
        await store.DeleteVersionAsync(Require.NotEmpty(message.Name, "name"), message.Version, request.HttpContext.RequestAborted);
        return TypedResults.Ok(Empty.Instance);
    }

    private static async Task<Ok<ModelVersionResponse>> TransitionStageAsync(HttpRequest request, RegistryStore store)
    {
        var message = await RequestReader.ReadAsync<TransitionStageRequest>(request);
        var version = await store.TransitionStageAsync(
            Require.NotEmpty(message.Name, "name"), message.Version, Require.NotEmpty(message.Stage, "stage"), message.ArchiveExistingVersions ?? false,
            request.HttpContext.RequestAborted);
        return TypedResults.Ok(new ModelVersionResponse(version));
    }

    /// <summary><c>runs:/&lt;id&gt;/&lt;path&gt;</c> becomes the run's artifact URI plus the path; any other source is already a location.</summary>
    private static async Task<string> ResolveAsync(string source, RunStore runs, CancellationToken cancellationToken)
    {
        if (!source.StartsWith(RunsScheme, StringComparison.Ordinal))
        {
            return source;
        }

        var rest = source[RunsScheme.Length..].TrimStart('/');
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var runId = slash < 0 ? rest : rest[..slash];
        var path = slash < 0 ? "" : rest[(slash + 1)..];
        var run = await runs.GetAsync(runId, cancellationToken) ?? throw RunStore.RunNotFound(runId);
        return path.Length == 0 ? run.Info.ArtifactUri : $"{run.Info.ArtifactUri}/{path}";
    }
}
