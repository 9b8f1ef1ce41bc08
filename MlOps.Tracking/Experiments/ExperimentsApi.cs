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
        return app;
    }

    private static async Task<Ok<CreateExperimentResponse>> CreateAsync(HttpRequest request, ExperimentStore store)
    {
        var message = await RequestReader.ReadAsync<CreateExperimentRequest>(request);
        var name = Require.NotEmpty(message.Name, "name");
        var id = await store.CreateAsync(name, message.ArtifactLocation, message.Tags ?? [], request.HttpContext.RequestAborted);
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
}
