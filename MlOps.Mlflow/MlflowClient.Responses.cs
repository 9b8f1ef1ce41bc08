using System.Text.Json;

namespace MlOps.Mlflow;

public sealed partial class MlflowClient
{
    /// <summary>
    /// Reads a JSON answer through a size limit: a Content-Length over it fails at once, a longer body fails as soon
    /// as the limit is passed, so an oversized answer never sits whole in memory.
    /// </summary>
    private async Task<T> ReadJsonAsync<T>(HttpResponseMessage response, string operation, CancellationToken cancellationToken)
    {
        if (response.Content.Headers.ContentLength > _maxResponseBytes)
        {
            throw TooLarge(operation, response.Content.Headers.ContentLength.Value);
        }

        try
        {
            var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using var limited = new BoundedReadStream(stream, _maxResponseBytes, read => TooLarge(operation, read));
            return await JsonSerializer.DeserializeAsync<T>(limited, MlflowJson.Options, cancellationToken).ConfigureAwait(false)
                ?? throw new MlflowException(KnownMlflowErrorCodes.InternalError, response.StatusCode, $"{operation} answered null.");
        }
        catch (JsonException e)
        {
            throw new MlflowException(KnownMlflowErrorCodes.InternalError, response.StatusCode,
                $"{operation} answered JSON this client cannot read: {e.Message}", e);
        }
        catch (Exception e) when (IsTransportFailure(e, cancellationToken))
        {
            throw Unavailable(operation, e);
        }
    }

    private MlflowException TooLarge(string operation, long bytes) =>
        new(KnownMlflowErrorCodes.InternalError, null,
            $"{operation}: the tracking server at {ServerText} answered more than {_maxResponseBytes} bytes ({bytes} read or announced); " +
            $"the answer was not read (raise {nameof(MlflowClientOptions)}.{nameof(MlflowClientOptions.MaxResponseBytes)} if it is expected).");
}
