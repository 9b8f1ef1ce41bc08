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
        WithRemoteAsync(dataPath, remoteArgument, getVariable, display, transfer => transfer.PushAsync(dataPath, cancellationToken));

    public static Task<TransferResult> PullAsync(
        string dataPath, string? remoteArgument, bool force, Func<string, string?> getVariable, ITransferDisplay display, CancellationToken cancellationToken) =>
        WithRemoteAsync(dataPath, remoteArgument, getVariable, display, transfer => transfer.PullAsync(dataPath, force, cancellationToken));

    private static async Task<TransferResult> WithRemoteAsync(
        string dataPath, string? remoteArgument, Func<string, string?> getVariable, ITransferDisplay display, Func<RemoteTransfer, Task<TransferResult>> run)
    {
        var pointer = DataVersioning.ReadPointer(dataPath);
        var spec = RemoteResolver.Resolve(dataPath, remoteArgument, pointer, getVariable);
        using var remote = RemoteFactory.Create(spec, getVariable);
        return await run(new RemoteTransfer(remote, display)).ConfigureAwait(false);
    }
}
