namespace MlOps.Tracking.Infrastructure;

/// <summary>The one error type of the server; <see cref="MlflowErrorMiddleware"/> turns it into <c>{error_code, message}</c>.</summary>
public sealed class MlflowException : Exception
{
    public MlflowException(string errorCode, string message)
        : base(message)
    {
        ErrorCode = errorCode;
    }

    public MlflowException()
        : this(KnownErrorCodes.InternalError, "Internal error")
    {
    }

    public MlflowException(string message)
        : this(KnownErrorCodes.InternalError, message)
    {
    }

    public MlflowException(string message, Exception innerException)
        : base(message, innerException)
    {
        ErrorCode = KnownErrorCodes.InternalError;
    }

    public string ErrorCode { get; }

    public int StatusCode => KnownErrorCodes.StatusOf(ErrorCode);

    public static MlflowException InvalidParameter(string message) => new(KnownErrorCodes.InvalidParameterValue, message);

    public static MlflowException NotFound(string message) => new(KnownErrorCodes.ResourceDoesNotExist, message);

    public static MlflowException AlreadyExists(string message) => new(KnownErrorCodes.ResourceAlreadyExists, message);

    public static MlflowException Missing(string parameter) =>
        InvalidParameter($"Missing value for required parameter '{parameter}'. See the API docs for more information about request parameters.");
}
