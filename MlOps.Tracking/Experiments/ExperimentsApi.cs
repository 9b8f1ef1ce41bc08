using Microsoft.AspNetCore.Http.HttpResults;
using MlOps.Tracking.Infrastructure;

namespace MlOps.Tracking.Experiments;

internal static class ExperimentsApi
{
    public static IEndpointRouteBuilder MapExperiments(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/2.0/mlflow/experiments");
        api.MapPost("/create", CreateAsync);
        api.MapGet("/get", GetAsync);
        api.MapGet("/get-by-name", GetByNameAsync);
        api.MapMethods("/search", [HttpMethods.Get, HttpMethods.Post], SearchAsync);
        api.MapPost("/set-experiment-tag", SetTagAsync);
        api.MapPost("/update", UpdateAsync);
        api.MapPost("/delete", (HttpRequest request, ExperimentStore store) => SetStageAsync(request, store, "deleted"));
        api.MapPost("/restore", (HttpRequest request, ExperimentStore store) => SetStageAsync(request, store, "active"));
        return app;
    }

    private static async Task<Ok<CreateExperimentResponse>> CreateAsync(HttpRequest request, ExperimentStore store)
    {
        var message = await RequestReader.ReadAsync<CreateExperimentRequest>(request);
        var name = Require.Text(message.Name, "name", Require.MaxNameLength);
        var id = await store.CreateAsync(name, message.ArtifactLocation, Require.EntityTags(message.Tags), request.HttpContext.RequestAborted);
        return TypedResults.Ok(new CreateExperimentResponse(id.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    private static async Task<Ok<ExperimentResponse>> GetAsync(HttpRequest request, ExperimentStore store)
    {
        var message = await RequestReader.ReadAsync<GetExperimentRequest>(request);
        var id = Require.ExperimentId(message.ExperimentId);
        var experiment = await store.GetAsync(id, request.HttpContext.RequestAborted)
            ?? throw MlflowException.NotFound($"No Experiment with id={id} exists");
        return TypedResults.Ok(new ExperimentResponse(experiment));
    }

    private static async Task<Ok<ExperimentResponse>> GetByNameAsync(HttpRequest request, ExperimentStore store)
    {
        var message = await RequestReader.ReadAsync<GetExperimentByNameRequest>(request);
        var name = Require.NotEmpty(message.ExperimentName, "experiment_name");
        var experiment = await store.GetByNameAsync(name, request.HttpContext.RequestAborted)
            ?? throw MlflowException.NotFound($"Could not find experiment with name '{name}'");
        return TypedResults.Ok(new ExperimentResponse(experiment));
    }

    private static async Task<Ok<SearchExperimentsResponse>> SearchAsync(HttpRequest request, ExperimentStore store)
    {
        var message = await RequestReader.ReadAsync<SearchExperimentsRequest>(request);
        var response = await store.SearchAsync(message, request.HttpContext.RequestAborted);
        return TypedResults.Ok(response);
    }

    private static async Task<Ok<Empty>> SetTagAsync(HttpRequest request, ExperimentStore store)
    {
        var message = await RequestReader.ReadAsync<SetExperimentTagRequest>(request);
        await store.SetTagAsync(
            Require.ExperimentId(message.ExperimentId), Require.Text(message.Key, "key", Require.MaxKeyLength),
            Require.MaxLength(message.Value, "value", Require.MaxEntityTagValueLength) ?? "", request.HttpContext.RequestAborted);
        return TypedResults.Ok(Empty.Instance);
    }

    private static async Task<Ok<Empty>> UpdateAsync(HttpRequest request, ExperimentStore store)
    {
        var message = await RequestReader.ReadAsync<UpdateExperimentRequest>(request);
        await store.RenameAsync(
            Require.ExperimentId(message.ExperimentId), Require.Text(message.NewName, "new_name", Require.MaxNameLength), request.HttpContext.RequestAborted);
        return TypedResults.Ok(Empty.Instance);
    }

    private static async Task<Ok<Empty>> SetStageAsync(HttpRequest request, ExperimentStore store, string stage)
    {
        var message = await RequestReader.ReadAsync<GetExperimentRequest>(request);
        await store.SetLifecycleStageAsync(Require.ExperimentId(message.ExperimentId), stage, request.HttpContext.RequestAborted);
        return TypedResults.Ok(Empty.Instance);
    }
}
