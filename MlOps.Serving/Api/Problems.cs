using Microsoft.AspNetCore.Http.HttpResults;
using MlOps.Serving.Input;

namespace MlOps.Serving.Api;

/// <summary>The problem details (RFC 7807) the API answers client errors and unavailability with.</summary>
internal static class Problems
{
    public static ValidationProblem BadInput(InputErrors errors) =>
        TypedResults.ValidationProblem(errors.ToDictionary(), title: "The request body is not valid input for the model.",
            type: "https://tools.ietf.org/html/rfc9110#section-15.5.1");

    public static ValidationProblem TooLarge(long maxBytes) =>
        TypedResults.ValidationProblem(
            new Dictionary<string, string[]> { [InputErrors.BodyKey] = [$"The body is larger than {maxBytes} bytes (Serving:MaxBodyBytes)."] },
            title: "The request body is too large.",
            type: "https://tools.ietf.org/html/rfc9110#section-15.5.1");

    public static ProblemHttpResult NoModel(string? reason) =>
        TypedResults.Problem(
            detail: reason is null ? "The model is still loading." : $"No model is loaded: {reason}",
            statusCode: StatusCodes.Status503ServiceUnavailable,
            title: "No model is loaded yet.");
}
