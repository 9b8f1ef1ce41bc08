using MlOps.Serving.Input;

namespace MlOps.Serving.Api;

/// <summary>The reasons a request is not scored, independent of the protocol that reports them.</summary>
internal static class Failures
{
    public static ScoringFailure NoModel(string? reason) => new(StatusCodes.Status503ServiceUnavailable, "No model is loaded yet.",
        reason is null ? "The model is still loading." : $"No model is loaded: {reason}", "no_model");

    public static ScoringFailure UnsupportedMediaType(string? contentType, bool acceptCsv) => new(
        StatusCodes.Status415UnsupportedMediaType, "Unsupported media type.",
        $"The body must be sent as application/json{(acceptCsv ? " or text/csv" : string.Empty)}; " +
        (string.IsNullOrEmpty(contentType) ? "the request has no Content-Type." : $"it is '{contentType}'."),
        "unsupported_media_type");

    public static ScoringFailure TooLarge(long maxBytes)
    {
        var errors = new InputErrors();
        errors.Add(InputErrors.BodyKey, $"The body is larger than {maxBytes} bytes (Serving:MaxBodyBytes).");
        return new ScoringFailure(StatusCodes.Status400BadRequest, "The request body is too large.", $"The body is larger than {maxBytes} bytes.",
            "invalid_input", errors);
    }

    public static ScoringFailure BadInput(InputErrors errors) => new(StatusCodes.Status400BadRequest,
        "The request body is not valid input for the model.", "See errors.", "invalid_input", errors);

    public static ScoringFailure BadRequest(BadHttpRequestException e) =>
        new(e.StatusCode, "The request could not be read.", e.Message, "invalid_input");

    // 499 is what proxies log for a client that closed the connection; the client never sees it.
    public static ScoringFailure ClientClosed() => new(499, "The client closed the request.", "The client closed the connection.", "client_closed");
}
