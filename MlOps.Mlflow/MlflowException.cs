using System.Net;
using System.Text.Json;

namespace MlOps.Mlflow;

/// <summary>
/// An error answered by an MLflow server (<c>{"error_code", "message"}</c>) or a non-JSON error answer mapped to
/// MLflow's codes. Match on <see cref="ErrorCode"/>, never on the message: messages differ between backends.
/// </summary>
public sealed class MlflowException : Exception
{
    private const int MaxBodyInMessage = 500;

    // An error answer is read this far at most: a proxy's page or a runaway body is not worth more.
    private const int MaxErrorBodyBytes = 64 * 1024;

    /// <summary>Creates an exception with <see cref="KnownMlflowErrorCodes.InternalError"/>.</summary>
    public MlflowException()
        : this(KnownMlflowErrorCodes.InternalError, null, "MLflow call failed.")
    {
    }

    /// <summary>Creates an exception with <see cref="KnownMlflowErrorCodes.InternalError"/>.</summary>
    /// <param name="message">What failed.</param>
    public MlflowException(string message)
        : this(KnownMlflowErrorCodes.InternalError, null, message)
    {
    }

    /// <summary>Creates an exception with <see cref="KnownMlflowErrorCodes.InternalError"/>.</summary>
    /// <param name="message">What failed.</param>
    /// <param name="innerException">The cause.</param>
    public MlflowException(string message, Exception? innerException)
        : this(KnownMlflowErrorCodes.InternalError, null, message, innerException)
    {
    }

    /// <summary>Creates an exception with an MLflow error code.</summary>
    /// <param name="errorCode">MLflow's error code, e.g. <see cref="KnownMlflowErrorCodes.ResourceDoesNotExist"/>.</param>
    /// <param name="httpStatus">The HTTP status of the answer, when there was one.</param>
    /// <param name="message">What failed.</param>
    /// <param name="innerException">The cause, if any.</param>
    public MlflowException(string errorCode, HttpStatusCode? httpStatus, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        ErrorCode = errorCode;
        HttpStatus = httpStatus;
    }

    /// <summary>MLflow's error code, e.g. <c>RESOURCE_DOES_NOT_EXIST</c>.</summary>
    public string ErrorCode { get; }

    /// <summary>The HTTP status of the answer; null when the error did not come from an answer.</summary>
    public HttpStatusCode? HttpStatus { get; }

    /// <summary>Whether the error says the entity does not exist.</summary>
    public bool IsNotFound => ErrorCode == KnownMlflowErrorCodes.ResourceDoesNotExist;

    /// <summary>Reads an error answer into an exception; the request's headers (and so any secret) never appear.</summary>
    /// <param name="response">The unsuccessful answer.</param>
    /// <param name="operation">The operation, for the message.</param>
    /// <param name="cancellationToken">Cancels reading the body.</param>
    /// <returns>The exception to throw.</returns>
    internal static async Task<MlflowException> FromResponseAsync(
        HttpResponseMessage response, string operation, CancellationToken cancellationToken)
    {
        var status = response.StatusCode;
        var body = await ReadPrefixAsync(response.Content, cancellationToken).ConfigureAwait(false);
        if (TryParseError(body, out var code, out var message))
        {
            return new MlflowException(code, status, $"{operation} failed ({(int)status} {code}): {message}");
        }

        var snippet = UriRedaction.RedactText(body.Length > MaxBodyInMessage ? body[..MaxBodyInMessage] + "…" : body);
        var fallback = CodeForStatus(status);
        return new MlflowException(fallback, status,
            $"{operation} failed with HTTP {(int)status} {status} and no MLflow error body: {snippet.Trim()}");
    }

    private static async Task<string> ReadPrefixAsync(HttpContent content, CancellationToken cancellationToken)
    {
        var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var buffer = new byte[MaxErrorBodyBytes];
            var filled = 0;
            int read;
            while (filled < buffer.Length
                && (read = await stream.ReadAsync(buffer.AsMemory(filled), cancellationToken).ConfigureAwait(false)) > 0)
            {
                filled += read;
            }

            return System.Text.Encoding.UTF8.GetString(buffer, 0, filled);
        }
    }

    private static bool TryParseError(string body, out string code, out string message)
    {
        code = string.Empty;
        message = string.Empty;
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("error_code", out var codeElement)
                && codeElement.ValueKind == JsonValueKind.String)
            {
                code = codeElement.GetString() ?? string.Empty;
                message = document.RootElement.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String
                    ? m.GetString() ?? string.Empty
                    : string.Empty;
                return code.Length > 0;
            }
        }
        catch (JsonException)
        {
            // Not JSON: a proxy's HTML page or plain text; the caller maps the status instead.
        }

        return false;
    }

    private static string CodeForStatus(HttpStatusCode status) => status switch
    {
        HttpStatusCode.BadRequest => KnownMlflowErrorCodes.BadRequest,
        HttpStatusCode.Unauthorized => KnownMlflowErrorCodes.Unauthenticated,
        HttpStatusCode.Forbidden => KnownMlflowErrorCodes.PermissionDenied,
        HttpStatusCode.NotFound => KnownMlflowErrorCodes.EndpointNotFound,
        HttpStatusCode.TooManyRequests => KnownMlflowErrorCodes.RequestLimitExceeded,
        HttpStatusCode.ServiceUnavailable => KnownMlflowErrorCodes.TemporarilyUnavailable,
        _ => KnownMlflowErrorCodes.InternalError,
    };
}
