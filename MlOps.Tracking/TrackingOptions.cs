namespace MlOps.Tracking;

public sealed class TrackingOptions
{
    public const string SectionName = "Tracking";

    /// <summary>Aspire style: <c>ConnectionStrings__tracking</c>.</summary>
    public const string ConnectionName = "tracking";

    /// <summary>Where proxied artifacts live; defaults to <c>mlartifacts</c> under the content root.</summary>
    public string? ArtifactsRoot { get; set; }
}
