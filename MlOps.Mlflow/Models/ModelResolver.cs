using System.Globalization;

namespace MlOps.Mlflow;

/// <summary>
/// Turns a model URI into a local model folder. Registry and run URIs are downloaded through the tracking server
/// into a cache (<c>&lt;cache&gt;/&lt;name&gt;/&lt;version&gt;/</c>, <c>&lt;cache&gt;/runs/&lt;run_id&gt;/&lt;path&gt;/</c>):
/// into a temporary folder first, checked (every size as listed, an <c>MLmodel</c> file present), then moved into
/// place in one step, so a cache folder that exists is complete and is reused without downloading again.
/// Local paths and <c>file://</c> URIs resolve to the folder itself.
/// </summary>
/// <param name="client">The tracking client; null when only local URIs are resolved.</param>
public sealed class ModelResolver(MlflowClient? client)
{
    private const string PartialFolder = ".partial";

    /// <summary>The file a local model folder must hold besides (or instead of) <c>MLmodel</c>.</summary>
    public const string OnnxFileName = "model.onnx";

    /// <summary>Resolves a model URI to a local folder.</summary>
    /// <param name="uri">The URI, e.g. <c>models:/fraud-detector@production</c>.</param>
    /// <param name="cacheRoot">The cache folder for downloaded models.</param>
    /// <param name="cancellationToken">Cancels the resolution and download.</param>
    /// <returns>The local folder and the model's identity.</returns>
    /// <exception cref="FormatException">The URI is not a supported model URI.</exception>
    public Task<ResolvedModel> ResolveAsync(string uri, string cacheRoot, CancellationToken cancellationToken = default) =>
        ResolveAsync(ModelUri.Parse(uri), cacheRoot, cancellationToken);

    /// <summary>Resolves a parsed model URI to a local folder.</summary>
    /// <param name="uri">The URI.</param>
    /// <param name="cacheRoot">The cache folder for downloaded models.</param>
    /// <param name="cancellationToken">Cancels the resolution and download.</param>
    /// <returns>The local folder and the model's identity.</returns>
    /// <exception cref="DirectoryNotFoundException">A local folder does not exist.</exception>
    /// <exception cref="InvalidDataException">A folder is not a model folder (no MLmodel or model.onnx).</exception>
    /// <exception cref="MlflowException">The tracking server refused or failed a call.</exception>
    public async Task<ResolvedModel> ResolveAsync(ModelUri uri, string cacheRoot, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(uri);
        if (uri.Kind == ModelUriKind.Local)
        {
            return ResolveLocal(uri);
        }

        ArgumentException.ThrowIfNullOrEmpty(cacheRoot);
        var tracking = client ?? throw new InvalidOperationException(
            $"Resolving '{uri}' needs a tracking server; set {KnownMlflowEnvironment.TrackingUri}.");
        return uri.Kind switch
        {
            ModelUriKind.Registry => await ResolveRegistryAsync(tracking, uri, cacheRoot, cancellationToken).ConfigureAwait(false),
            ModelUriKind.Run => await ResolveRunAsync(tracking, uri, cacheRoot, cancellationToken).ConfigureAwait(false),
            _ => await ResolveArtifactsAsync(tracking, uri, cacheRoot, cancellationToken).ConfigureAwait(false),
        };
    }

    private static ResolvedModel ResolveLocal(ModelUri uri)
    {
        var folder = uri.LocalPath!;
        if (!Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"Model folder '{folder}' (from '{uri}') does not exist.");
        }

        var hasMlModel = File.Exists(Path.Combine(folder, MlModel.FileName));
        if (!hasMlModel && !File.Exists(Path.Combine(folder, OnnxFileName)))
        {
            throw new InvalidDataException($"'{folder}' is not a model folder: it has neither {MlModel.FileName} nor {OnnxFileName}.");
        }

        return new ResolvedModel(folder, null, null, hasMlModel ? RunIdOf(folder) : null, uri.Original);
    }

    private static async Task<ResolvedModel> ResolveRegistryAsync(
        MlflowClient tracking, ModelUri uri, string cacheRoot, CancellationToken cancellationToken)
    {
        var name = uri.Name!;
        string version;
        string? runId = null;
        if (uri.Version is not null)
        {
            version = uri.Version;
        }
        else if (uri.Alias is not null)
        {
            var aliased = await tracking.GetModelVersionByAliasAsync(name, uri.Alias, cancellationToken).ConfigureAwait(false);
            (version, runId) = (aliased.Version, NullIfEmpty(aliased.RunId));
        }
        else
        {
            var latest = await tracking.GetLatestVersionsAsync(name, uri.IsLatest ? null : [uri.Stage!], cancellationToken)
                .ConfigureAwait(false);
            var newest = latest.MaxBy(v => long.TryParse(v.Version, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0)
                ?? throw new MlflowException(KnownMlflowErrorCodes.ResourceDoesNotExist, null,
                    $"Registered model '{name}' has no version{(uri.IsLatest ? "" : $" in stage '{uri.Stage}'")}.");
            (version, runId) = (newest.Version, NullIfEmpty(newest.RunId));
        }

        var target = Path.Combine(Path.GetFullPath(cacheRoot), SafeSegment(name), SafeSegment(version));
        if (!IsComplete(target))
        {
            var source = await tracking.GetModelVersionDownloadUriAsync(name, version, cancellationToken).ConfigureAwait(false);
            await DownloadAtomicallyAsync(tracking, source, null, target, cacheRoot, cancellationToken).ConfigureAwait(false);
        }

        return new ResolvedModel(target, name, version, runId ?? RunIdOf(target), uri.Original);
    }

    private static async Task<ResolvedModel> ResolveRunAsync(
        MlflowClient tracking, ModelUri uri, string cacheRoot, CancellationToken cancellationToken)
    {
        var runId = uri.RunId!;
        var segments = uri.ArtifactPath!.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(SafeSegment);
        var target = Path.Combine([Path.GetFullPath(cacheRoot), "runs", SafeSegment(runId), .. segments]);
        if (!IsComplete(target))
        {
            var run = await tracking.GetRunAsync(runId, cancellationToken).ConfigureAwait(false);
            await DownloadAtomicallyAsync(tracking, run.Info.ArtifactUri, uri.ArtifactPath, target, cacheRoot, cancellationToken)
                .ConfigureAwait(false);
        }

        return new ResolvedModel(target, null, null, runId, uri.Original);
    }

    private static async Task<ResolvedModel> ResolveArtifactsAsync(
        MlflowClient tracking, ModelUri uri, string cacheRoot, CancellationToken cancellationToken)
    {
        var segments = uri.ArtifactPath!.Split('/').Select(SafeSegment);
        var target = Path.Combine([Path.GetFullPath(cacheRoot), "artifacts", .. segments]);
        if (!IsComplete(target))
        {
            await DownloadAtomicallyAsync(tracking, uri.Original, null, target, cacheRoot, cancellationToken).ConfigureAwait(false);
        }

        return new ResolvedModel(target, null, null, RunIdOf(target), uri.Original);
    }

    private static async Task DownloadAtomicallyAsync(
        MlflowClient tracking, string artifactUri, string? path, string target, string cacheRoot, CancellationToken cancellationToken)
    {
        var partialRoot = Path.Combine(Path.GetFullPath(cacheRoot), PartialFolder);
        var temp = Path.Combine(partialRoot, Guid.NewGuid().ToString("N"));
        try
        {
            var files = await tracking.DownloadDirectoryAsync(artifactUri, path, temp, cancellationToken).ConfigureAwait(false);
            if (files.Count == 0)
            {
                throw new InvalidDataException($"'{ArtifactPaths.Combine(artifactUri, path)}' holds no files.");
            }

            if (!File.Exists(Path.Combine(temp, MlModel.FileName)))
            {
                throw new InvalidDataException(
                    $"'{ArtifactPaths.Combine(artifactUri, path)}' is not a model folder: it has no {MlModel.FileName} file.");
            }

            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            try
            {
                Directory.Move(temp, target);
            }
            catch (IOException) when (IsComplete(target))
            {
                // Another process put the same model in place first; theirs is as good as ours.
            }
        }
        finally
        {
            DeleteQuietly(temp);
            TryDeleteEmpty(partialRoot);
        }
    }

    private static bool IsComplete(string folder) => File.Exists(Path.Combine(folder, MlModel.FileName));

    private static string? RunIdOf(string folder)
    {
        try
        {
            return NullIfEmpty(MlModel.Load(folder).RunId);
        }
        catch (Exception e) when (e is IOException or FormatException)
        {
            return null;
        }
    }

    // A cache path segment from a model name, version or run id: nothing that climbs or separates folders.
    private static string SafeSegment(string value)
    {
        var invalid = Path.GetInvalidFileNameChars();
        var safe = new string([.. value.Select(c => invalid.Contains(c) || c is '/' or '\\' or ':' ? '_' : c)]);
        return safe is "." or ".." || safe.Length == 0 ? "_" + safe : safe;
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static void DeleteQuietly(string folder)
    {
        try
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
        catch (IOException)
        {
            // Best effort: a leftover under .partial is never mistaken for a model.
        }
        catch (UnauthorizedAccessException)
        {
            // Same.
        }
    }

    private static void TryDeleteEmpty(string folder)
    {
        try
        {
            if (Directory.Exists(folder) && !Directory.EnumerateFileSystemEntries(folder).Any())
            {
                Directory.Delete(folder);
            }
        }
        catch (IOException)
        {
            // Another resolver is using it.
        }
    }
}
