using Microsoft.AspNetCore.Http.HttpResults;
using MlOps.Tracking.Infrastructure;

namespace MlOps.Tracking.Registry;

internal static class RegisteredModelsApi
{
    public static IEndpointRouteBuilder MapRegisteredModels(this IEndpointRouteBuilder app)
    {
        var models = app.MapGroup("/api/2.0/mlflow/registered-models");
        models.MapPost("/create", CreateAsync);
        models.MapGet("/get", GetAsync);
        models.MapMethods("/search", [HttpMethods.Get, HttpMethods.Post], SearchAsync);
        models.MapMethods("/get-latest-versions", [HttpMethods.Get, HttpMethods.Post], LatestVersionsAsync);
        models.MapPost("/alias", SetAliasAsync);
        models.MapGet("/alias", GetAliasAsync);
        models.MapDelete("/alias", DeleteAliasAsync);
        models.MapPost("/set-tag", SetTagAsync);
        models.MapDelete("/delete-tag", DeleteTagAsync);
        models.MapPatch("/update", UpdateAsync);
        models.MapDelete("/delete", DeleteAsync);
        return app;
    }

    private static async Task<Ok<RegisteredModelResponse>> CreateAsync(HttpRequest request, RegistryStore store)
    {
        var message = await RequestReader.ReadAsync<CreateRegisteredModelRequest>(request);
        var model = await store.CreateModelAsync(
            Require.Text(message.Name, "name", Require.MaxNameLength), Require.MaxLength(message.Description, "description", Require.MaxEntityTagValueLength),
            Require.EntityTags(message.Tags), request.HttpContext.RequestAborted);
        return TypedResults.Ok(new RegisteredModelResponse(model));
    }

    private static async Task<Ok<RegisteredModelResponse>> GetAsync(HttpRequest request, RegistryStore store)
    {
        var message = await RequestReader.ReadAsync<NameRequest>(request);
        var model = await store.GetModelAsync(Require.NotEmpty(message.Name, "name"), request.HttpContext.RequestAborted);
        return TypedResults.Ok(new RegisteredModelResponse(model));
    }

    private static async Task<Ok<SearchRegisteredModelsResponse>> SearchAsync(HttpRequest request, RegistryStore store)
    {
        var message = await RequestReader.ReadAsync<SearchRequest>(request);
        return TypedResults.Ok(await store.SearchModelsAsync(message, request.HttpContext.RequestAborted));
    }

    private static async Task<Ok<ModelVersionsResponse>> LatestVersionsAsync(HttpRequest request, RegistryStore store)
    {
        var message = await RequestReader.ReadAsync<LatestVersionsRequest>(request);
        var versions = await store.LatestVersionsAsync(Require.NotEmpty(message.Name, "name"), message.Stages, request.HttpContext.RequestAborted);
        return TypedResults.Ok(new ModelVersionsResponse(versions));
    }

    private static async Task<Ok<Empty>> SetAliasAsync(HttpRequest request, RegistryStore store)
    {
        var message = await RequestReader.ReadAsync<AliasRequest>(request);
        await store.SetAliasAsync(
            Require.NotEmpty(message.Name, "name"), Require.NotEmpty(message.Alias, "alias"), message.Version, request.HttpContext.RequestAborted);
        return TypedResults.Ok(Empty.Instance);
    }

    private static async Task<Ok<ModelVersionResponse>> GetAliasAsync(HttpRequest request, RegistryStore store)
    {
        var message = await RequestReader.ReadAsync<AliasRequest>(request);
        var version = await store.GetByAliasAsync(
            Require.NotEmpty(message.Name, "name"), Require.NotEmpty(message.Alias, "alias"), request.HttpContext.RequestAborted);
        return TypedResults.Ok(new ModelVersionResponse(version));
    }

    private static async Task<Ok<Empty>> DeleteAliasAsync(HttpRequest request, RegistryStore store)
    {
        var message = await RequestReader.ReadAsync<AliasRequest>(request);
        await store.DeleteAliasAsync(Require.NotEmpty(message.Name, "name"), Require.NotEmpty(message.Alias, "alias"), request.HttpContext.RequestAborted);
        return TypedResults.Ok(Empty.Instance);
    }

    private static async Task<Ok<Empty>> SetTagAsync(HttpRequest request, RegistryStore store)
    {
        var message = await RequestReader.ReadAsync<ModelTagRequest>(request);
        await store.SetModelTagAsync(
            Require.NotEmpty(message.Name, "name"), Require.Text(message.Key, "key", Require.MaxKeyLength),
            Require.MaxLength(message.Value, "value", Require.MaxEntityTagValueLength) ?? "", request.HttpContext.RequestAborted);
        return TypedResults.Ok(Empty.Instance);
    }

    private static async Task<Ok<Empty>> DeleteTagAsync(HttpRequest request, RegistryStore store)
    {
        var message = await RequestReader.ReadAsync<ModelTagRequest>(request);
        await store.DeleteModelTagAsync(Require.NotEmpty(message.Name, "name"), Require.NotEmpty(message.Key, "key"), request.HttpContext.RequestAborted);
        return TypedResults.Ok(Empty.Instance);
    }

    private static async Task<Ok<RegisteredModelResponse>> UpdateAsync(HttpRequest request, RegistryStore store)
    {
        var message = await RequestReader.ReadAsync<UpdateRegisteredModelRequest>(request);
        var model = await store.UpdateModelAsync(
            Require.NotEmpty(message.Name, "name"), Require.MaxLength(message.Description, "description", Require.MaxEntityTagValueLength),
            request.HttpContext.RequestAborted);
        return TypedResults.Ok(new RegisteredModelResponse(model));
    }

    private static async Task<Ok<Empty>> DeleteAsync(HttpRequest request, RegistryStore store)
    {
        var message = await RequestReader.ReadAsync<NameRequest>(request);
        await store.DeleteModelAsync(Require.NotEmpty(message.Name, "name"), request.HttpContext.RequestAborted);
        return TypedResults.Ok(Empty.Instance);
    }
}
