namespace MlOps.Trainer.Remotes;

/// <summary>Shows a transfer while it runs: the command line draws a bar (or prints quarter marks when redirected) for large files.</summary>
internal interface ITransferDisplay
{
    /// <summary>Runs <paramref name="transfer"/>, which reports the bytes done so far.</summary>
    Task ShowAsync(string label, long totalBytes, Func<IProgress<long>, Task> transfer);

    /// <summary>Something worth a line while transferring (a retry).</summary>
    void Note(string message);
}

/// <summary>Shows nothing.</summary>
internal sealed class SilentTransferDisplay : ITransferDisplay
{
    public static SilentTransferDisplay Instance { get; } = new();

    public Task ShowAsync(string label, long totalBytes, Func<IProgress<long>, Task> transfer)
    {
        ArgumentNullException.ThrowIfNull(transfer);
        return transfer(new Progress<long>());
    }

    public void Note(string message)
    {
    }
}
