namespace MlOps.Mlflow;

/// <summary>A model folder on local disk and where it came from.</summary>
/// <param name="LocalPath">The folder holding <c>MLmodel</c> and the model files.</param>
/// <param name="Name">The registered model's name (registry URIs).</param>
/// <param name="Version">The registered version (registry URIs).</param>
/// <param name="RunId">The run that produced the model, when known.</param>
/// <param name="SourceUri">The URI that was resolved.</param>
public sealed record ResolvedModel(string LocalPath, string? Name, string? Version, string? RunId, string SourceUri)
{
    /// <summary>Whether a cached copy was used (it matched the registry and its checksums) rather than a download.</summary>
    public bool FromCache { get; init; }
}
