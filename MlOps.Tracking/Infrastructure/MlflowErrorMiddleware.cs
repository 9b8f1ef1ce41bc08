using System.Text.Json;
using Npgsql;

namespace MlOps.Tracking.Infrastructure;

/// <summary>
/// Maps every failure to MLflow's <c>{error_code, message}</c>: bad input is a 400 INVALID_PARAMETER_VALUE, a
/// database that cannot be reached a 503 TEMPORARILY_UNAVAILABLE, anything else a 500 INTERNAL_ERROR. Messages of
/// unexpected failures stay in the server's log: they can name server paths and the database's address.
/// </summary>
internal sealed partial class MlflowErrorMiddleware(RequestDelegate next, ILogger<MlflowErrorMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (Exception exception) when (!context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
        {
            var error = Translate(exception);
            if (error.ErrorCode == KnownErrorCodes.TemporarilyUnavailable)
            {
                LogUnavailable(logger, context.Request.Method, context.Request.Path, exception.Message);
            }
            else if (error.StatusCode >= 500)
            {
                LogFailure(logger, context.Request.Method, context.Request.Path, exception);
            }

            context.Response.Clear();
            context.Response.StatusCode = error.StatusCode;
            await context.Response.WriteAsJsonAsync(
                new ErrorResponse(error.ErrorCode, error.Message), MlflowJson.Options, context.RequestAborted);
        }
    }

    internal static MlflowException Translate(Exception exception) => exception switch
    {
        MlflowException mlflow => mlflow,
        JsonException json => MlflowException.InvalidParameter($"Invalid JSON in request body: {json.Message}"),
        BadHttpRequestException bad => MlflowException.InvalidParameter(bad.Message),
        // 22xxx data exceptions (value out of range, bad encoding) and 54xxx program limits (an index row too large)
        // are the caller's input; the message names no server internals, but it is rewritten anyway.
        PostgresException { SqlState: var state } when state.StartsWith("22", StringComparison.Ordinal) || state.StartsWith("54", StringComparison.Ordinal) =>
            MlflowException.InvalidParameter($"A value in the request is not acceptable to the store ({state}): too long or out of range."),
        _ when DatabaseUnavailable.Is(exception) => new MlflowException(
            KnownErrorCodes.TemporarilyUnavailable, "The tracking store's database is unavailable; retry shortly."),
        _ => new MlflowException(KnownErrorCodes.InternalError, "Internal error; the tracking server's log has the details."),
    };

    [LoggerMessage(Level = LogLevel.Error, Message = "{Method} {Path} failed")]
    private static partial void LogFailure(ILogger logger, string method, string path, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Method} {Path}: database unavailable ({Reason})")]
    private static partial void LogUnavailable(ILogger logger, string method, string path, string reason);

    private sealed record ErrorResponse(string ErrorCode, string Message);
}
