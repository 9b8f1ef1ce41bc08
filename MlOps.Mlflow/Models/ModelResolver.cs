using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace MlOps.Mlflow;

/// <summary>
/// Turns a model URI into a local model folder, resolving it as MLflow's own client does (see
/// <see cref="MlflowClient.ResolveArtifactUriAsync"/>). Registry, run and artifact URIs are downloaded through the
/// tracking server into a cache keyed by server: <c>&lt;cache&gt;/&lt;server&gt;/&lt;name&gt;/&lt;version&gt;/</c>,
/// <c>&lt;cache&gt;/&lt;server&gt;/runs/&lt;run_id&gt;/&lt;path&gt;/</c>, <c>&lt;cache&gt;/&lt;server&gt;/artifacts/&lt;path&gt;/</c>,
/// where <c>&lt;server&gt;</c> is the host, port and a hash of the tracking URI. A download goes into a temporary
/// folder, is checked (every size as listed, an <c>MLmodel</c> file present), gets a record of what it is and the
/// SHA-256 of every file, then moves into place in one step. A cached copy is used only when its record matches what
/// the registry says now (same run id and source) and every checksum still holds; the log says when one is used,
/// and why one is replaced. Local paths and <c>file://</c> URIs resolve to the folder itself.
/// </summary>
public sealed partial class ModelResolver
{
    private const string PartialFolder = ".partial";

    /// <summary>The file a local model folder must hold besides (or instead of) <c>MLmodel</c>.</summary>
    public const string OnnxFileName = "model.onnx";

    /// <summary>The cache's record inside each downloaded model folder.</summary>
    public const string CacheRecordFileName = ModelCache.FileName;

    private readonly MlflowClient? _client;
    private readonly ILogger _logger;

    /// <summary>Creates a resolver that logs through the client's logger, if it has one.</summary>
    /// <param name="client">The tracking client; null when only local URIs are resolved.</param>
    public ModelResolver(MlflowClient? client)
        : this(client, logger: null)
    {
    }

    /// <summary>Creates a resolver.</summary>
    /// <param name="client">The tracking client; null when only local URIs are resolved.</param>
    /// <param name="logger">Where cache decisions are logged; the client's logger when null.</param>
    public ModelResolver(MlflowClient? client, ILogger? logger)
    {
        _client = client;
        _logger = logger ?? client?.Logger ?? NullLogger.Instance;
    }

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
    /// <exception cref="MlflowException">
    /// The tracking server refused or failed a call, or a source uses a scheme this client cannot transfer.
    /// </exception>
    public async Task<ResolvedModel> ResolveAsync(ModelUri uri, string cacheRoot, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(uri);
        if (uri.Kind == ModelUriKind.Local)
        {
            return ResolveLocal(uri);
        }

        ArgumentException.ThrowIfNullOrEmpty(cacheRoot);
        var tracking = _client ?? throw new InvalidOperationException(
            $"Resolving '{uri}' needs a tracking server; set {KnownMlflowEnvironment.TrackingUri}.");
        var serverRoot = Path.Combine(Path.GetFullPath(cacheRoot), ServerSegment(tracking.BaseAddress));
        return uri.Kind switch
        {
            ModelUriKind.Registry => await ResolveRegistryAsync(tracking, uri, serverRoot, cacheRoot, cancellationToken).ConfigureAwait(false),
            ModelUriKind.Run => await ResolveArtifactsAsync(tracking, uri, uri.RunId,
                [serverRoot, "runs", SafeSegment(uri.RunId!), .. Segments(uri.ArtifactPath!)], cacheRoot, cancellationToken).ConfigureAwait(false),
            _ => await ResolveArtifactsAsync(tracking, uri, null,
                [serverRoot, "artifacts", .. Segments(uri.ArtifactPath!)], cacheRoot, cancellationToken).ConfigureAwait(false),
        };
    }

    /// <summary>The cache folder of one tracking server: host and port for people, a hash of the URI to tell apart.</summary>
    /// <param name="trackingUri">The tracking server's address.</param>
    /// <returns>A folder name such as <c>127.0.0.1_5000-3fa2c1d0</c>.</returns>
    public static string ServerSegment(Uri trackingUri)
    {
        ArgumentNullException.ThrowIfNull(trackingUri);
        var clean = UriRedaction.WithoutUserInfo(trackingUri).AbsoluteUri.TrimEnd('/').ToLowerInvariant();
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(clean)))[..8];
        return SafeSegment($"{trackingUri.Host}_{trackingUri.Port}-{hash}");
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

    private async Task<ResolvedModel> ResolveRegistryAsync(
        MlflowClient tracking, ModelUri uri, string serverRoot, string cacheRoot, CancellationToken cancellationToken)
    {
        var name = uri.Name!;
        ModelVersion version;
        try
        {
            version = await tracking.GetRegisteredVersionAsync(uri, cancellationToken).ConfigureAwait(false);
        }
        catch (MlflowException e) when (uri.Version is not null && IsUnreachable(e))
        {
            var cachedCopy = await CachedWhileUnreachableAsync(tracking, uri, serverRoot, e, cancellationToken).ConfigureAwait(false);
            if (cachedCopy is null)
            {
                throw;
            }

            return cachedCopy;
        }

        var target = Path.Combine(serverRoot, SafeSegment(name), SafeSegment(version.Version));
        var identity = new CacheIdentity(UriRedaction.Redact(tracking.BaseAddress), name, version.Version, version.RunId, version.Source);
        var cached = await TryCachedAsync(uri, target, identity, cancellationToken).ConfigureAwait(false);
        if (!cached)
        {
            // As MLflow's client: the version's download URI, which a real server answers with the source as registered.
            var downloadUri = await tracking.GetModelVersionDownloadUriAsync(name, version.Version, cancellationToken).ConfigureAwait(false);
            await DownloadAtomicallyAsync(tracking, downloadUri, target, cacheRoot, identity, cancellationToken).ConfigureAwait(false);
            LogDownloaded(_logger, uri.Original, name, version.Version, downloadUri, target);
        }

        return new ResolvedModel(target, name, version.Version, NullIfEmpty(version.RunId) ?? RunIdOf(target), uri.Original) { FromCache = cached };
    }

    /// <summary>
    /// A pinned version (<c>models:/name/3</c>) cached from this very server, intact by its checksums, while the
    /// registry cannot be asked: used, and the log says it was not checked against the registry. Null when there is
    /// no such copy. (An alias or stage needs the registry to know the version at all.)
    /// </summary>
    private async Task<ResolvedModel?> CachedWhileUnreachableAsync(
        MlflowClient tracking, ModelUri uri, string serverRoot, MlflowException error, CancellationToken cancellationToken)
    {
        var target = Path.Combine(serverRoot, SafeSegment(uri.Name!), SafeSegment(uri.Version!));
        var identity = new CacheIdentity(UriRedaction.Redact(tracking.BaseAddress), uri.Name, uri.Version, string.Empty, string.Empty);
        if (await ModelCache.ProblemAsync(target, identity, cancellationToken, registryKnown: false).ConfigureAwait(false) is not null)
        {
            return null;
        }

        LogCacheUnverified(_logger, uri.Original, target, error.Message);
        return new ResolvedModel(target, uri.Name, uri.Version, RunIdOf(target), uri.Original) { FromCache = true };
    }

    // No answer, or the server failing: not a statement about the model, unlike 4xx answers.
    private static bool IsUnreachable(MlflowException e) =>
        e.HttpStatus is null or >= System.Net.HttpStatusCode.InternalServerError || e.ErrorCode == KnownMlflowErrorCodes.TemporarilyUnavailable;

    private async Task<ResolvedModel> ResolveArtifactsAsync(
        MlflowClient tracking, ModelUri uri, string? runId, string[] folder, string cacheRoot, CancellationToken cancellationToken)
    {
        var target = Path.Combine(folder);
        var identity = new CacheIdentity(UriRedaction.Redact(tracking.BaseAddress), null, null, runId ?? string.Empty, uri.Original);
        var cached = await TryCachedAsync(uri, target, identity, cancellationToken).ConfigureAwait(false);
        if (!cached)
        {
            await DownloadAtomicallyAsync(tracking, uri.Original, target, cacheRoot, identity, cancellationToken).ConfigureAwait(false);
            LogDownloaded(_logger, uri.Original, null, null, uri.Original, target);
        }

        return new ResolvedModel(target, null, null, runId ?? RunIdOf(target), uri.Original) { FromCache = cached };
    }

    private async Task<bool> TryCachedAsync(ModelUri uri, string target, CacheIdentity identity, CancellationToken cancellationToken)
    {
        var problem = await ModelCache.ProblemAsync(target, identity, cancellationToken).ConfigureAwait(false);
        if (problem is null)
        {
            LogCacheUsed(_logger, uri.Original, target, identity.RunId);
            return true;
        }

        if (problem != ModelCache.NotCached)
        {
            LogCacheRejected(_logger, uri.Original, target, problem);
        }

        return false;
    }

    private static async Task DownloadAtomicallyAsync(
        MlflowClient tracking, string artifactUri, string target, string cacheRoot, CacheIdentity identity, CancellationToken cancellationToken)
    {
        var partialRoot = Path.Combine(Path.GetFullPath(cacheRoot), PartialFolder);
        var temp = Path.Combine(partialRoot, Guid.NewGuid().ToString("N"));
        var stale = temp + "-stale";
        try
        {
            var files = await tracking.DownloadDirectoryAsync(artifactUri, null, temp, cancellationToken).ConfigureAwait(false);
            var shown = UriRedaction.RedactText(artifactUri);
            if (files.Count == 0)
            {
                throw new InvalidDataException($"'{shown}' holds no files.");
            }

            if (!File.Exists(Path.Combine(temp, MlModel.FileName)))
            {
                throw new InvalidDataException($"'{shown}' is not a model folder: it has no {MlModel.FileName} file.");
            }

            await ModelCache.WriteAsync(temp, identity, cancellationToken).ConfigureAwait(false);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            if (Directory.Exists(target))
            {
                // A copy that failed its check is moved aside first, so the new one still lands in one step.
                Directory.Move(target, stale);
            }

            try
            {
                Directory.Move(temp, target);
            }
            catch (IOException) when (Directory.Exists(target))
            {
                // Another process put a copy in place first: theirs is as good as ours only if it passes the check.
                if (await ModelCache.ProblemAsync(target, identity, cancellationToken).ConfigureAwait(false) is { } problem)
                {
                    throw new IOException($"The cache folder '{target}' was filled concurrently with a copy that fails its check: {problem}.");
                }
            }
        }
        finally
        {
            DeleteQuietly(temp);
            DeleteQuietly(stale);
            TryDeleteEmpty(partialRoot);
        }
    }

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

    private static IEnumerable<string> Segments(string path) =>
        path.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(SafeSegment);

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
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: a leftover under .partial is never mistaken for a model.
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Using the cached copy of {Uri} at {Folder} (run {RunId}): it matches the registry and its checksums")]
    private static partial void LogCacheUsed(ILogger logger, string uri, string folder, string runId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Not using the cached copy of {Uri} at {Folder}: {Problem}; downloading it again")]
    private static partial void LogCacheRejected(ILogger logger, string uri, string folder, string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Using the cached copy of {Uri} at {Folder} without checking it against the registry, which did not answer ({Reason}); its checksums hold")]
    private static partial void LogCacheUnverified(ILogger logger, string uri, string folder, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Downloaded {Uri} ({Name} version {Version}, from {Source}) into {Folder}")]
    private static partial void LogDownloaded(ILogger logger, string uri, string? name, string? version, string source, string folder);
}
