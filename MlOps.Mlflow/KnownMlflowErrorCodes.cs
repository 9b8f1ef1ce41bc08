namespace MlOps.Mlflow;

/// <summary>The <c>error_code</c> values of MLflow's error answers that callers commonly match on.</summary>
public static class KnownMlflowErrorCodes
{
    /// <summary>The entity does not exist (HTTP 404).</summary>
    public const string ResourceDoesNotExist = "RESOURCE_DOES_NOT_EXIST";

    /// <summary>The entity already exists (HTTP 400 on MLflow 2.x).</summary>
    public const string ResourceAlreadyExists = "RESOURCE_ALREADY_EXISTS";

    /// <summary>A parameter is missing or invalid, including an unknown alias (HTTP 400).</summary>
    public const string InvalidParameterValue = "INVALID_PARAMETER_VALUE";

    /// <summary>The server failed, including a missing proxied artifact (HTTP 500).</summary>
    public const string InternalError = "INTERNAL_ERROR";

    /// <summary>The endpoint does not exist on the server (HTTP 404 without an MLflow error body).</summary>
    public const string EndpointNotFound = "ENDPOINT_NOT_FOUND";

    /// <summary>The request was malformed (HTTP 400 without an MLflow error body).</summary>
    public const string BadRequest = "BAD_REQUEST";

    /// <summary>The credentials are missing or wrong (HTTP 401).</summary>
    public const string Unauthenticated = "UNAUTHENTICATED";

    /// <summary>The credentials do not allow the call (HTTP 403).</summary>
    public const string PermissionDenied = "PERMISSION_DENIED";

    /// <summary>Too many requests (HTTP 429).</summary>
    public const string RequestLimitExceeded = "REQUEST_LIMIT_EXCEEDED";

    /// <summary>The server is temporarily unavailable (HTTP 503).</summary>
    public const string TemporarilyUnavailable = "TEMPORARILY_UNAVAILABLE";

    /// <summary>The entity is in a state that does not allow the call.</summary>
    public const string InvalidState = "INVALID_STATE";
}
