namespace MlOps.Mlflow;

/// <summary>
/// Paths of the proxied artifact API: an <c>mlflow-artifacts:/&lt;exp&gt;/&lt;run&gt;/artifacts</c> URI maps to
/// <c>/api/2.0/mlflow-artifacts/artifacts/&lt;exp&gt;/&lt;run&gt;/artifacts</c> on the tracking server.
/// </summary>
internal static class ArtifactPaths
{
    public const string Scheme = "mlflow-artifacts";
    public const string ApiRoot = "api/2.0/mlflow-artifacts/artifacts";

    /// <summary>The path under the proxied API of an <c>mlflow-artifacts:</c> URI (any host part is ignored).</summary>
    public static string FromUri(string artifactUri)
    {
        ArgumentException.ThrowIfNullOrEmpty(artifactUri);
        var prefix = Scheme + ":";
        if (!artifactUri.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
        {
            throw new NotSupportedException(
                $"Artifact URI '{artifactUri}' is not an {Scheme}: URI; only artifacts proxied by the tracking server " +
                "(mlflow server --serve-artifacts) can be transferred by this client.");
        }

        var rest = artifactUri[prefix.Length..];
        if (rest.StartsWith("//", StringComparison.Ordinal))
        {
            // mlflow-artifacts://host:port/path names a server; the path is what matters here.
            var slash = rest.IndexOf('/', 2);
            rest = slash < 0 ? string.Empty : rest[slash..];
        }

        return Normalize(rest);
    }

    /// <summary>Joins relative artifact paths with '/', refusing '..' so nothing escapes the run's folder.</summary>
    public static string Combine(string root, string? relative)
    {
        var tail = Normalize(relative ?? string.Empty);
        if (tail.Length == 0)
        {
            return root;
        }

        return root.Length == 0 ? tail : root + "/" + tail;
    }

    /// <summary>Strips leading and trailing slashes, turns '\' into '/', refuses '.' and '..' segments.</summary>
    public static string Normalize(string path)
    {
        var segments = path.Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Any(s => s is "." or ".."))
        {
            throw new ArgumentException($"Artifact path '{path}' must not contain '.' or '..' segments.", nameof(path));
        }

        return string.Join('/', segments);
    }

    /// <summary>The relative URI of one artifact file under the proxied API.</summary>
    public static string FileUri(string path) =>
        ApiRoot + "/" + string.Join('/', path.Split('/').Select(Uri.EscapeDataString));

    /// <summary>The relative URI listing one folder under the proxied API.</summary>
    public static string ListUri(string path) =>
        path.Length == 0 ? ApiRoot : ApiRoot + "?path=" + Uri.EscapeDataString(path);
}
