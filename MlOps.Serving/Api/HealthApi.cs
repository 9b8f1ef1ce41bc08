using Microsoft.AspNetCore.Http.HttpResults;
using MlOps.Serving.Model;

namespace MlOps.Serving.Api;

/// <summary>
/// <c>GET /health</c>: 503 while loading, while the registry has no model yet (<c>no-model</c>) or when no model could
/// be loaded (<c>unavailable</c>, with the reason); 200 with the model once ready, with <c>"registry":"unreachable"</c>
/// while alias polls fail and <c>load_error</c> while a newer model cannot be loaded. The challenger is reported
/// beside it and never makes serving unhealthy.
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

    public static Results<Ok<HealthResponse>, JsonHttpResult<HealthResponse>> Health(ModelHost host, ChallengerHost challenger)
    {
        var status = host.Status;
        var shadow = Challenger(challenger);
        return status.State switch
        {
            ModelState.Healthy => TypedResults.Ok(new HealthResponse("healthy", null, status.Model,
                host.RegistryUnreachable ? "unreachable" : null, status.LoadError, status.LoadErrorAt, shadow)),
            _ => TypedResults.Json(new HealthResponse(StateName(status.State), status.Reason, null, null, null, null, shadow),
                ServingJsonContext.Default.HealthResponse, statusCode: StatusCodes.Status503ServiceUnavailable),
        };
    }

    internal static string StateName(ModelState state) => state switch
    {
        ModelState.Healthy => "healthy",
        ModelState.NoModel => "no-model",
        ModelState.Unavailable => "unavailable",
        _ => "loading",
    };

    private static ChallengerHealth? Challenger(ChallengerHost challenger)
    {
        if (challenger.Host is not { } host)
        {
            return null;
        }

        var status = host.Status;
        return new ChallengerHealth(StateName(status.State), status.Reason, status.Model, status.LoadError);
    }
}
