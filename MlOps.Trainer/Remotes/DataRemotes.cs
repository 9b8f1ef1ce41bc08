using MlOps.Trainer.Versioning;

namespace MlOps.Trainer.Remotes;

/// <summary>
/// <c>data push</c>, <c>data pull</c> and the pull <c>train</c> does for a missing file: resolve the remote (config
/// name, folder or <c>s3://</c> URL; the default from <c>.dvc/config</c> when none is given), open it, transfer.
/// </summary>
internal static class DataRemotes
{
    public static Task<TransferResult> PushAsync(
        string dataPath, string? remoteArgument, Func<string, string?> getVariable, ITransferDisplay display, CancellationToken cancellationToken) =>
        WithRemoteAsync(dataPath, DataVersioning.ReadPointer(dataPath), remoteArgument, getVariable, display,
            transfer => transfer.PushAsync(dataPath, cancellationToken));

    public static async Task<TransferResult> PullAsync(
        string dataPath, string? remoteArgument, bool force, Func<string, string?> getVariable, ITransferDisplay display, CancellationToken cancellationToken)
    {
        // The workspace is looked at before the remote, so an up-to-date file needs no credentials or network.
        var pointer = DataVersioning.ReadPointer(dataPath);
        if (File.Exists(dataPath))
        {
            var verification = DataVersioning.Verify(dataPath);
            if (verification.Status == VerificationStatus.Match)
            {
                return new TransferResult(TransferOutcome.UpToDate, string.Empty, string.Empty, pointer.Md5, verification.ActualSize ?? 0, TimeSpan.Zero, 0);
            }

            if (!force)
            {
                throw new BadInputException(
                    $"{verification.Message} Pulling would replace local changes: record them with 'data add {dataPath}' or pass --force.");
            }
        }

        return await WithRemoteAsync(dataPath, pointer, remoteArgument, getVariable, display,
            transfer => transfer.PullAsync(dataPath, pointer, cancellationToken)).ConfigureAwait(false);
    }

    private static async Task<TransferResult> WithRemoteAsync(
        string dataPath, DvcPointer pointer, string? remoteArgument, Func<string, string?> getVariable, ITransferDisplay display,
        Func<RemoteTransfer, Task<TransferResult>> run)
    {
        var spec = RemoteResolver.Resolve(dataPath, remoteArgument, pointer, getVariable);
        using var remote = RemoteFactory.Create(spec, getVariable);
        return await run(new RemoteTransfer(remote, display)).ConfigureAwait(false);
    }
}
