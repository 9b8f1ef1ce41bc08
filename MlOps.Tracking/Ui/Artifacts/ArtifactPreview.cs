namespace MlOps.Tracking.Ui.Artifacts;

public enum ArtifactPreviewKind
{
    Image,
    Text,
    Binary,
    Missing,
}

/// <summary>What the run page shows for one artifact file: an image by URL, text (JSON pretty-printed, cut at
/// <see cref="RunArtifacts.MaxPreviewBytes"/>), or only a download link.</summary>
public sealed record ArtifactPreview(string Path, ArtifactPreviewKind Kind, long Size, string DownloadUrl, string? Text = null, bool Cut = false)
{
    public string Language => System.IO.Path.GetExtension(Path).ToLowerInvariant() switch
    {
        ".json" => "json",
        ".yaml" or ".yml" => "yaml",
        "" when System.IO.Path.GetFileName(Path) == "MLmodel" => "yaml",
        _ => "text",
    };
}
