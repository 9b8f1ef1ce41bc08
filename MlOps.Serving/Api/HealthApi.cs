using Microsoft.AspNetCore.Http.HttpResults;
using MlOps.Serving.Model;

namespace MlOps.Serving.Api;

/// <summary>
/// <c>GET /health</c>: 503 while loading, while the registry has no model yet (<c>no-model</c>) or when no model could
/// be loaded; 200 with the model once ready, with <c>"registry":"unreachable"</c> while alias polls fail.
/// </summary>
public static class HealthApi
{
    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/health", Health)
            .WithTags("Health")
            .WithName("Health")
            .WithSummary("Readiness: healthy once a model is loaded and warmed.")
            .Produces<HealthResponse>(StatusCodes.Status503ServiceUnavailable);
        return app;
    }

    public static Results<Ok<HealthResponse>, JsonHttpResult<HealthResponse>> Health(ModelHost host)
    {
        var status = host.Status;
        return status.State switch
        {
            ModelState.Healthy => TypedResults.Ok(
                new HealthResponse("healthy", null, status.Model, host.RegistryUnreachable ? "unreachable" : null)),
            ModelState.NoModel => TypedResults.Json(new HealthResponse("no-model", status.Reason, null),
                ServingJsonContext.Default.HealthResponse, statusCode: StatusCodes.Status503ServiceUnavailable),
            ModelState.Unavailable => TypedResults.Json(new HealthResponse("unavailable", status.Reason, null),
                ServingJsonContext.Default.HealthResponse, statusCode: StatusCodes.Status503ServiceUnavailable),
            _ => TypedResults.Json(new HealthResponse("loading", null, null),
                ServingJsonContext.Default.HealthResponse, statusCode: StatusCodes.Status503ServiceUnavailable),
        };
    }
}
