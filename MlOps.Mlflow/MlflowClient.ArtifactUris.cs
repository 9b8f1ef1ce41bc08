using System.Globalization;

namespace MlOps.Mlflow;

public sealed partial class MlflowClient
{
    /// <summary>The artifact URI schemes this client transfers (through the tracking server's artifact proxy).</summary>
    public static readonly IReadOnlyList<string> SupportedArtifactSchemes = ["mlflow-artifacts", "runs", "models"];

    // runs:/ may point at models:/ only through a registry source, and neither may point back: MLflow refuses loops too.
    private const int MaxResolutionDepth = 3;

    /// <summary>
    /// Resolves an artifact URI as MLflow's own client does, to the proxied location it names:
    /// <c>mlflow-artifacts:/…</c> as it is; <c>runs:/&lt;run_id&gt;/&lt;path&gt;</c> through <c>runs/get</c>'s
    /// <c>artifact_uri</c> with the path appended; <c>models:/&lt;name&gt;/&lt;version&gt;</c>,
    /// <c>models:/&lt;name&gt;@&lt;alias&gt;</c>, <c>models:/&lt;name&gt;/&lt;stage|latest&gt;</c> through the version's
    /// <c>get-download-uri</c> (which a real MLflow server answers with the source as registered, often <c>runs:/</c>).
    /// </summary>
    /// <param name="artifactUri">The URI.</param>
    /// <param name="cancellationToken">Cancels the look-ups.</param>
    /// <returns>The <c>mlflow-artifacts:</c> URI the artifacts are served at.</returns>
    /// <exception cref="MlflowException">
    /// <c>INVALID_PARAMETER_VALUE</c> for a scheme this client cannot transfer (<c>s3://</c>, <c>gs://</c>, <c>file:</c>,
    /// a local path, …), naming it; any error of the look-ups.
    /// </exception>
    public async Task<string> ResolveArtifactUriAsync(string artifactUri, CancellationToken cancellationToken = default)
    {
        var location = await ResolveLocationAsync(artifactUri, cancellationToken).ConfigureAwait(false);
        var authority = location.Server == _baseAddress ? string.Empty : "//" + location.Server.Authority;
        return $"{ArtifactPaths.Scheme}:{authority}/{location.Path}";
    }

    internal async Task<ArtifactLocation> ResolveLocationAsync(string artifactUri, CancellationToken cancellationToken, int depth = 0)
    {
        ArgumentException.ThrowIfNullOrEmpty(artifactUri);
        if (depth > MaxResolutionDepth)
        {
            throw new MlflowException(KnownMlflowErrorCodes.InvalidParameterValue, null,
                $"Artifact URI '{UriRedaction.RedactText(artifactUri)}' resolves through too many runs:/ or models:/ indirections (a loop?).");
        }

        return SchemeOf(artifactUri) switch
        {
            "mlflow-artifacts" => ProxiedLocation(artifactUri),
            "runs" => await RunLocationAsync(artifactUri, cancellationToken, depth).ConfigureAwait(false),
            "models" => await ModelLocationAsync(artifactUri, cancellationToken, depth).ConfigureAwait(false),
            var scheme => throw Unsupported(artifactUri, scheme),
        };
    }

    private ArtifactLocation ProxiedLocation(string artifactUri)
    {
        try
        {
            var path = ArtifactPaths.FromUri(artifactUri);
            var authority = ArtifactPaths.AuthorityOf(artifactUri);
            if (authority is null || string.Equals(authority, _baseAddress.Authority, StringComparison.OrdinalIgnoreCase))
            {
                return new ArtifactLocation(_baseAddress, path);
            }

            // mlflow-artifacts://host:port/… names the server that proxies them; MLflow keeps the tracking URI's
            // scheme and path prefix. Credentials are sent to the tracking server only (see SendAsync).
            return new ArtifactLocation(new Uri($"{_baseAddress.Scheme}://{authority}{_baseAddress.AbsolutePath}"), path);
        }
        catch (Exception e) when (e is ArgumentException or UriFormatException)
        {
            throw new MlflowException(KnownMlflowErrorCodes.InvalidParameterValue, null,
                $"Artifact URI '{UriRedaction.RedactText(artifactUri)}' is not a valid mlflow-artifacts: URI: {e.Message}", e);
        }
    }

    private async Task<ArtifactLocation> RunLocationAsync(string artifactUri, CancellationToken cancellationToken, int depth)
    {
        var uri = ParseModelUri(artifactUri);
        var run = await GetRunAsync(uri.RunId!, cancellationToken).ConfigureAwait(false);
        if (SchemeOf(run.Info.ArtifactUri) is "runs" or "models")
        {
            throw new MlflowException(KnownMlflowErrorCodes.InvalidParameterValue, null,
                $"Run {uri.RunId} has artifact URI '{run.Info.ArtifactUri}', which cannot itself be a runs:/ or models:/ URI.");
        }

        var resolved = await ResolveLocationAsync(run.Info.ArtifactUri, cancellationToken, depth + 1).ConfigureAwait(false);
        return resolved.Under(uri.ArtifactPath);
    }

    private async Task<ArtifactLocation> ModelLocationAsync(string artifactUri, CancellationToken cancellationToken, int depth)
    {
        var uri = ParseModelUri(artifactUri);
        var version = await RegisteredVersionNumberAsync(uri, cancellationToken).ConfigureAwait(false);
        var source = await GetModelVersionDownloadUriAsync(uri.Name!, version, cancellationToken).ConfigureAwait(false);
        if (SchemeOf(source) == "models")
        {
            throw new MlflowException(KnownMlflowErrorCodes.InvalidParameterValue, null,
                $"Model version {uri.Name}/{version} has source '{source}', which cannot itself be a models:/ URI.");
        }

        return await ResolveLocationAsync(source, cancellationToken, depth + 1).ConfigureAwait(false);
    }

    /// <summary>The version a registry URI names, as MLflow's <c>get_model_name_and_version</c> finds it.</summary>
    internal async Task<string> RegisteredVersionNumberAsync(ModelUri uri, CancellationToken cancellationToken) =>
        uri.Version ?? (await GetRegisteredVersionAsync(uri, cancellationToken).ConfigureAwait(false)).Version;

    /// <summary>
    /// The version a registry URI names, with its run id and source: by alias (<c>registered-models/alias</c>), by
    /// number (<c>model-versions/get</c>), or the newest of a stage or of all (<c>get-latest-versions</c>).
    /// </summary>
    internal async Task<ModelVersion> GetRegisteredVersionAsync(ModelUri uri, CancellationToken cancellationToken)
    {
        var name = uri.Name!;
        if (uri.Alias is not null)
        {
            return await GetModelVersionByAliasAsync(name, uri.Alias, cancellationToken).ConfigureAwait(false);
        }

        if (uri.Version is not null)
        {
            return await GetModelVersionAsync(name, uri.Version, cancellationToken).ConfigureAwait(false);
        }

        var latest = await GetLatestVersionsAsync(name, uri.IsLatest ? null : [uri.Stage!], cancellationToken).ConfigureAwait(false);
        return latest.MaxBy(v => long.TryParse(v.Version, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0)
            ?? throw new MlflowException(KnownMlflowErrorCodes.ResourceDoesNotExist, null,
                $"Registered model '{name}' has no version{(uri.IsLatest ? "" : $" in stage '{uri.Stage}'")}.");
    }

    private static ModelUri ParseModelUri(string text)
    {
        try
        {
            return ModelUri.Parse(text);
        }
        catch (FormatException e)
        {
            throw new MlflowException(KnownMlflowErrorCodes.InvalidParameterValue, null, e.Message, e);
        }
    }

    /// <summary>The scheme of a URI in lower case; empty for a local path (no scheme, or a drive letter).</summary>
    internal static string SchemeOf(string uri)
    {
        var colon = uri.IndexOf(':', StringComparison.Ordinal);
        return colon > 1 && uri[..colon].All(c => char.IsAsciiLetterOrDigit(c) || c is '+' or '-' or '.')
            ? uri[..colon].ToLowerInvariant()
            : string.Empty;
    }

    private static MlflowException Unsupported(string artifactUri, string scheme)
    {
        var what = scheme is "" or "file" ? "a local path" : $"scheme '{scheme}:'";
        return new MlflowException(KnownMlflowErrorCodes.InvalidParameterValue, null,
            $"Artifact URI '{UriRedaction.RedactText(artifactUri)}' uses {what}, which this client cannot transfer: it reads and writes " +
            $"artifacts through the tracking server's artifact proxy ({string.Join(":, ", SupportedArtifactSchemes)}:). Serve the artifact store " +
            "through the server (mlflow server --serve-artifacts) rather than pointing clients at s3://, gs://, wasbs://, hdfs:// or file paths.");
    }
}
