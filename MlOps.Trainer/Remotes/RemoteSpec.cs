namespace MlOps.Trainer.Remotes;

/// <summary>
/// A remote to talk to: its config name (null when <c>--remote</c> gave a folder or URL), its URL (a folder, already
/// absolute, or <c>s3://bucket/prefix</c>) and the other keys of its config section.
/// </summary>
internal sealed record RemoteSpec(string? Name, string Url, RemoteOptions Options)
{
    public bool IsS3 => S3Location.IsS3(Url);

    /// <summary><c>'storage' (s3://bucket/prefix)</c>, or the URL alone; credentials never appear in it.</summary>
    public string Describe() => Name is null ? SafeUrl.Redact(Url) : $"'{Name}' ({SafeUrl.Redact(Url)})";
}
