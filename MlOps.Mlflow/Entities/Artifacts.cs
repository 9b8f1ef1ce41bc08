namespace MlOps.Mlflow;

/// <summary>One entry of an artifact listing.</summary>
/// <param name="Path">The path, relative to the listed folder or to the run root depending on the call.</param>
/// <param name="IsDir">Whether the entry is a folder.</param>
/// <param name="FileSize">The size in bytes of a file; absent for folders.</param>
public sealed record ArtifactFile(string Path, bool IsDir = false, long? FileSize = null);

/// <summary>The artifacts of a run under one path, as <c>artifacts/list</c> answers.</summary>
/// <param name="RootUri">The run's artifact root URI.</param>
/// <param name="Files">The entries, their paths relative to the run root.</param>
public sealed record ArtifactListing(string RootUri, IReadOnlyList<ArtifactFile> Files);
