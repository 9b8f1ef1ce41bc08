using System.Net;
using System.Net.Sockets;
using Amazon.Runtime;
using Amazon.S3;

namespace MlOps.Trainer.Remotes;

/// <summary>
/// Turns what the AWS SDK throws into the trainer's two kinds of failure: what the user fixes in config or
/// credentials (exit code 2) and what the remote or the network did (exit code 1). Messages stay one line and carry
/// the object and endpoint, never a credential.
/// </summary>
internal static class S3Errors
{
    private static readonly HashSet<string> s_credentialCodes = new(StringComparer.Ordinal)
    {
        "InvalidAccessKeyId", "SignatureDoesNotMatch", "AccessDenied", "InvalidToken", "ExpiredToken", "TokenRefreshRequired",
    };

    /// <summary>The exception to throw instead, or null to let <paramref name="exception"/> through (the caller's cancellation).</summary>
    public static Exception? Translate(Exception exception, string where, CancellationToken cancellationToken) => exception switch
    {
        OperationCanceledException when cancellationToken.IsCancellationRequested => null,
        OperationCanceledException e => new DataRemoteException($"{where}: timed out.", e),
        AmazonS3Exception { ErrorCode: "NoSuchBucket" } e => new BadInputException($"{where}: the bucket does not exist ({e.Message}).", e),
        AmazonS3Exception e when e.StatusCode == HttpStatusCode.Forbidden || s_credentialCodes.Contains(e.ErrorCode ?? string.Empty) =>
            new BadInputException($"{where}: access denied ({e.ErrorCode}: {e.Message}); check the credentials and the bucket's policy.", e),
        AmazonServiceException e when e.StatusCode == 0 || Unreachable(e.InnerException) is not null =>
            new DataRemoteException($"{where}: endpoint unreachable: {Innermost(e).Message}", e),
        AmazonServiceException e => new DataRemoteException($"{where}: {e.ErrorCode ?? "error"} (HTTP {(int)e.StatusCode}): {e.Message}", e),
        AmazonClientException e => new DataRemoteException($"{where}: {Innermost(e).Message}", e),
        _ when Unreachable(exception) is { } network => new DataRemoteException($"{where}: endpoint unreachable: {Innermost(network).Message}", exception),
        _ => null,
    };

    private static Exception? Unreachable(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is HttpRequestException or SocketException or IOException)
            {
                return e;
            }
        }

        return null;
    }

    private static Exception Innermost(Exception exception)
    {
        var e = exception;
        while (e.InnerException is not null)
        {
            e = e.InnerException;
        }

        return e;
    }
}
