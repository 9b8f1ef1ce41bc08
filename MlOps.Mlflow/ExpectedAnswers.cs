using System.Net;

namespace MlOps.Mlflow;

/// <summary>
/// Error answers that are the outcome of a look-up rather than a failure: "no experiment by that name", "no such
/// alias", "already exists" on a create-if-missing. The caller still gets the <see cref="MlflowException"/> and
/// decides; the client's span and the HTTP span stay unmarked, so a trace shows an error only where something failed.
/// </summary>
internal sealed class ExpectedAnswers(params (HttpStatusCode Status, string ErrorCode)[] answers)
{
    public static readonly ExpectedAnswers NotFound = new((HttpStatusCode.NotFound, KnownMlflowErrorCodes.ResourceDoesNotExist));

    public static readonly ExpectedAnswers AlreadyExists = new((HttpStatusCode.BadRequest, KnownMlflowErrorCodes.ResourceAlreadyExists));

    // MLflow answers an unknown alias with 400 INVALID_PARAMETER_VALUE, an unknown model with 404.
    public static readonly ExpectedAnswers UnknownAlias = new(
        (HttpStatusCode.BadRequest, KnownMlflowErrorCodes.InvalidParameterValue),
        (HttpStatusCode.NotFound, KnownMlflowErrorCodes.ResourceDoesNotExist));

    public HttpStatusCode[] Statuses { get; } = [.. answers.Select(a => a.Status).Distinct()];

    public bool Matches(MlflowException error) =>
        answers.Any(a => a.Status == error.HttpStatus && a.ErrorCode == error.ErrorCode);
}
