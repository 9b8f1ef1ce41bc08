using Microsoft.AspNetCore.Http.HttpResults;
using MlOps.Tracking.Infrastructure;

namespace MlOps.Tracking.Registry;

internal static class ModelVersionsApi
{
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
            Require.NotEmpty(message.Name, "name"), message.Version, Require.Text(message.Key, "key", Require.MaxKeyLength),
            Require.MaxLength(message.Value, "value", Require.MaxEntityTagValueLength) ?? "", request.HttpContext.RequestAborted);
        return TypedResults.Ok(Empty.Instance);
    }

    private static async Task<Ok<DownloadUriResponse>> GetDownloadUriAsync(HttpRequest request, RegistryStore store)
    {
        var message = await RequestReader.ReadAsync<ModelVersionRequest>(request);
        var version = await store.GetVersionAsync(Require.NotEmpty(message.Name, "name"), message.Version, request.HttpContext.RequestAborted);

        // MLflow answers the source as it was stored, runs:/ included: its clients resolve runs:/ themselves.
        return TypedResults.Ok(new DownloadUriResponse(version.Source));
    }

    private static async Task<Ok<ModelVersionResponse>> UpdateAsync(HttpRequest request, RegistryStore store)
    {
        var message = await RequestReader.ReadAsync<UpdateModelVersionRequest>(request);
        var version = await store.UpdateVersionAsync(
            Require.NotEmpty(message.Name, "name"), message.Version, Require.MaxLength(message.Description, "description", Require.MaxEntityTagValueLength),
            request.HttpContext.RequestAborted);
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
}
