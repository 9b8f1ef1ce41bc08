namespace MlOps.Trainer.Remotes;

/// <summary>What a push or pull did.</summary>
internal enum TransferOutcome
{
    Pushed,
    AlreadyInRemote,
    Pulled,
    UpToDate,
}

/// <summary>The outcome of one push or pull, for the console.</summary>
internal sealed record TransferResult(TransferOutcome Outcome, string Remote, string Location, string Md5, long Bytes, TimeSpan Elapsed, int Attempts);
