using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using MlOps.Serving.Model;

namespace MlOps.Serving.Api;

/// <summary>
/// <c>POST /admin/reload</c>, behind the <c>X-Api-Key</c> header. Off (404) when no key is configured.
/// </summary>
public static class AdminApi
{
    public const string ApiKeyHeader = "X-Api-Key";

    public static IEndpointRouteBuilder MapAdminApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/admin").WithTags("Admin").AddEndpointFilter(RequireApiKey)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/reload", Reload)
            .WithName("Reload")
            .WithSummary("Resolves the model URI again, loads and warms the model beside the current one, and swaps.")
            .WithDescription("In-flight requests finish on the model they started with. A failed load keeps the current model (409).")
            .ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }

    public static async Task<Results<Ok<ReloadResponse>, ProblemHttpResult>> Reload(ModelHost host, CancellationToken cancellationToken)
    {
        var outcome = await host.ReloadAsync(cancellationToken);
        return outcome.Succeeded
            ? TypedResults.Ok(new ReloadResponse("reloaded", outcome.Model!, outcome.Previous))
            : TypedResults.Problem(
                detail: outcome.Reason,
                statusCode: StatusCodes.Status409Conflict,
                title: outcome.Previous is null ? "The model could not be loaded." : "The model could not be loaded; the current model stays.",
                extensions: outcome.Previous is null ? null : new Dictionary<string, object?> { ["current_version"] = outcome.Previous.Version });
    }

    private static async ValueTask<object?> RequireApiKey(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var key = http.RequestServices.GetRequiredService<IOptions<ServingOptions>>().Value.AdminApiKey;
        if (string.IsNullOrEmpty(key))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "The admin endpoints are off.",
                detail: "Set Admin:ApiKey to turn them on.");
        }

        var given = http.Request.Headers[ApiKeyHeader].ToString();
        if (!CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(key)))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "A valid API key is required.",
                detail: $"Send the admin key in the {ApiKeyHeader} header.");
        }

        return await next(context);
    }
}
