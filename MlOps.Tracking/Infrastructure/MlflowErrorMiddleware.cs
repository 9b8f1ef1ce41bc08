using System.Text.Json;
using Npgsql;

namespace MlOps.Tracking.Infrastructure;

/// <summary>Maps every failure to MLflow's <c>{error_code, message}</c>; bad input never becomes a 500.</summary>
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
            if (error.StatusCode >= 500)
            {
                LogFailure(logger, context.Request.Method, context.Request.Path, exception);
            }

            context.Response.Clear();
            context.Response.StatusCode = error.StatusCode;
            await context.Response.WriteAsJsonAsync(
                new ErrorResponse(error.ErrorCode, error.Message), MlflowJson.Options, context.RequestAborted);
        }
    }

    private static MlflowException Translate(Exception exception) => exception switch
    {
        MlflowException mlflow => mlflow,
        JsonException json => MlflowException.InvalidParameter($"Invalid JSON in request body: {json.Message}"),
        BadHttpRequestException bad when bad.StatusCode == StatusCodes.Status413PayloadTooLarge =>
            MlflowException.InvalidParameter(bad.Message),
        BadHttpRequestException bad => MlflowException.InvalidParameter(bad.Message),
        // 22xxx: data exceptions (value out of range, bad encoding, ...) are the caller's input.
        PostgresException { SqlState: var state } when state.StartsWith("22", StringComparison.Ordinal) =>
            MlflowException.InvalidParameter(exception.Message),
        _ => new MlflowException(KnownErrorCodes.InternalError, exception.Message),
    };

    [LoggerMessage(Level = LogLevel.Error, Message = "{Method} {Path} failed")]
    private static partial void LogFailure(ILogger logger, string method, string path, Exception exception);

    private sealed record ErrorResponse(string ErrorCode, string Message);
}
