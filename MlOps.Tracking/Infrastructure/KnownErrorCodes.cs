namespace MlOps.Tracking.Infrastructure;

/// <summary>MLflow's error codes and the HTTP statuses its server answers with.</summary>
public static class KnownErrorCodes
{
    public const string InvalidParameterValue = "INVALID_PARAMETER_VALUE";
    public const string ResourceDoesNotExist = "RESOURCE_DOES_NOT_EXIST";
    public const string ResourceAlreadyExists = "RESOURCE_ALREADY_EXISTS";
    public const string InvalidState = "INVALID_STATE";
    public const string InternalError = "INTERNAL_ERROR";
    public const string EndpointNotFound = "ENDPOINT_NOT_FOUND";
    public const string TemporarilyUnavailable = "TEMPORARILY_UNAVAILABLE";

    public static int StatusOf(string errorCode) => errorCode switch
    {
        ResourceDoesNotExist or EndpointNotFound => StatusCodes.Status404NotFound,
        InternalError => StatusCodes.Status500InternalServerError,
        TemporarilyUnavailable => StatusCodes.Status503ServiceUnavailable,
        // MLflow answers RESOURCE_ALREADY_EXISTS with 400, not 409.
        _ => StatusCodes.Status400BadRequest,
    };
}
