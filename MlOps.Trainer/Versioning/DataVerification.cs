namespace MlOps.Trainer.Versioning;

/// <summary>Whether a data file matches its DVC pointer.</summary>
public enum VerificationStatus
{
    Match,
    Mismatch,
    NoPointer,
}

/// <summary>The result of checking a data file against its .dvc pointer.</summary>
public sealed record DataVerification(
    VerificationStatus Status, DvcPointer? Expected, string? ActualMd5, long? ActualSize, string Message);
