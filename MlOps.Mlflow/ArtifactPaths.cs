namespace MlOps.Mlflow;

/// <summary>Where one proxied artifact path is served: a tracking server and the path under its artifact API.</summary>
/// <param name="Server">The server's base address (the tracking URI, or the host an <c>mlflow-artifacts://host/</c> URI names).</param>
/// <param name="Path">The path under <c>/api/2.0/mlflow-artifacts/artifacts</c>, no leading or trailing slash.</param>
internal sealed record ArtifactLocation(Uri Server, string Path)
{
    public Uri FileUri(string path) => new(Server, ArtifactPaths.FileUri(path));

    public Uri ListUri(string path) => new(Server, ArtifactPaths.ListUri(path));

    /// <summary>The same location <paramref name="relative"/> further down.</summary>
    public ArtifactLocation Under(string? relative) => this with { Path = ArtifactPaths.Combine(Path, relative) };
}

/// <summary>
/// Paths of the proxied artifact API: an <c>mlflow-artifacts:/&lt;exp&gt;/&lt;run&gt;/artifacts</c> URI maps to
/// <c>/api/2.0/mlflow-artifacts/artifacts/&lt;exp&gt;/&lt;run&gt;/artifacts</c> on the tracking server.
/// </summary>
internal static class ArtifactPaths
{
    public const string Scheme = "mlflow-artifacts";
    public const string ApiRoot = "api/2.0/mlflow-artifacts/artifacts";

    /// <summary>The host part of an <c>mlflow-artifacts://host:port/path</c> URI, or null for <c>mlflow-artifacts:/path</c>.</summary>
    public static string? AuthorityOf(string artifactUri)
    {
        var rest = AfterScheme(artifactUri);
        if (!rest.StartsWith("//", StringComparison.Ordinal))
        {
            return null;
        }

        var slash = rest.IndexOf('/', 2);
        var authority = slash < 0 ? rest[2..] : rest[2..slash];
        return authority.Length == 0 ? null : authority;
    }

    /// <summary>The path under the proxied API of an <c>mlflow-artifacts:</c> URI (its host part set apart).</summary>
    public static string FromUri(string artifactUri)
    {
        var rest = AfterScheme(artifactUri);
        if (rest.StartsWith("//", StringComparison.Ordinal))
        {
            // mlflow-artifacts://host:port/path names a server; AuthorityOf reads it.
            var slash = rest.IndexOf('/', 2);
            rest = slash < 0 ? string.Empty : rest[slash..];
        }

        return Normalize(Uri.UnescapeDataString(rest));
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

    /// <summary>Strips leading and trailing slashes, turns '\' into '/', refuses '.', '..' and NUL.</summary>
    public static string Normalize(string path)
    {
        var segments = path.Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Any(s => s is "." or ".." || s.Contains('\0', StringComparison.Ordinal)))
        {
            throw new ArgumentException($"Artifact path '{path.Replace("\0", "\\0", StringComparison.Ordinal)}' must not contain '.' or '..' segments.", nameof(path));
        }

        return string.Join('/', segments);
    }

    /// <summary>The relative URI of one artifact file under the proxied API.</summary>
    public static string FileUri(string path) =>
        ApiRoot + "/" + string.Join('/', path.Split('/').Select(Uri.EscapeDataString));

    /// <summary>The relative URI listing one folder under the proxied API.</summary>
    public static string ListUri(string path) =>
        path.Length == 0 ? ApiRoot : ApiRoot + "?path=" + Uri.EscapeDataString(path);

    private static string AfterScheme(string artifactUri)
    {
        ArgumentException.ThrowIfNullOrEmpty(artifactUri);
        var prefix = Scheme + ":";
        return artifactUri.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)
            ? artifactUri[prefix.Length..]
            : throw new ArgumentException($"'{artifactUri}' is not an {Scheme}: URI.", nameof(artifactUri));
    }
}
