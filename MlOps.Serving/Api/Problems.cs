using Microsoft.AspNetCore.Http.HttpResults;
using MlOps.Serving.Input;

namespace MlOps.Serving.Api;

/// <summary>The problem details (RFC 7807) the API answers client errors and unavailability with.</summary>
internal static class Problems
{
    private const string BadRequestType = "https://tools.ietf.org/html/rfc9110#section-15.5.1";

    public static ValidationProblem BadInput(InputErrors errors, string title = "The request body is not valid input for the model.") =>
        TypedResults.ValidationProblem(errors.ToDictionary(), title: title, type: BadRequestType);

    /// <summary>A scoring failure as problem details: a validation problem when it names fields, else a plain problem.</summary>
    public static Results<Ok<T>, ValidationProblem, ProblemHttpResult> Scoring<T>(ScoringFailure failure) =>
        failure.Errors is { } errors
            ? BadInput(errors, failure.Title)
            : TypedResults.Problem(detail: failure.Detail, statusCode: failure.Status, title: failure.Title);
}
