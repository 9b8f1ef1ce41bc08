namespace MlOps.Serving.Model;

/// <summary>
/// Which model version sources serving downloads: artifacts the tracking server proxies (<c>mlflow-artifacts:/…</c>)
/// and run-relative ones (<c>runs:/id/path</c>), with no <c>.</c> or <c>..</c> segment even once unescaped.
/// </summary>
internal static class ArtifactSources
{
    private static readonly string[] s_schemes = ["mlflow-artifacts:", "runs:/"];

    /// <summary>Why <paramref name="source"/> cannot be downloaded, or null when it can.</summary>
    public static string? Problem(string? source)
    {
        if (string.IsNullOrWhiteSpace(source))
        {
            return "the registry gives no location for its files.";
        }

        var shown = Reasons.Clean(source);
        if (!s_schemes.Any(s => source.StartsWith(s, StringComparison.OrdinalIgnoreCase)))
        {
            return $"its files are at '{shown}', which serving cannot download: only artifacts proxied by the tracking server " +
                "(mlflow-artifacts:/, mlflow server --serve-artifacts) or runs:/ sources are supported.";
        }

        var path = Uri.UnescapeDataString(source[(source.IndexOf(':', StringComparison.Ordinal) + 1)..]);
        return path.Replace('\\', '/').Split('/').Any(segment => segment is "." or "..")
            ? $"its files are at '{shown}', a path that climbs out of the artifact store."
            : null;
    }
}
