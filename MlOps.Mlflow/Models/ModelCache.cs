using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace MlOps.Mlflow;

/// <summary>What a cached model folder was downloaded as: from which server, which version, which run and source.</summary>
/// <param name="Server">The tracking server's address, without credentials.</param>
/// <param name="Name">The registered model's name; null for run and artifact URIs.</param>
/// <param name="Version">The version; null for run and artifact URIs.</param>
/// <param name="RunId">The run the registry says produced it; empty when it names none.</param>
/// <param name="Source">The registered source, or the run or artifact URI.</param>
internal sealed record CacheIdentity(string Server, string? Name, string? Version, string RunId, string Source);

/// <summary>
/// The cache's record inside each model folder (<see cref="FileName"/>): the identity it was downloaded as and the
/// size and SHA-256 of every file. Written into the temporary folder before it is moved into place, so a folder with
/// a record is complete; checked before a cached copy is trusted.
/// </summary>
internal static class ModelCache
{
    public const string FileName = ".mlops-cache.json";

    /// <summary>The problem of a folder that does not exist: nothing to warn about.</summary>
    public const string NotCached = "not cached";

    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = true,
    };

    /// <summary>Records the identity and checksums of a downloaded folder.</summary>
    public static async Task WriteAsync(string folder, CacheIdentity identity, CancellationToken cancellationToken)
    {
        var files = new SortedDictionary<string, CachedFile>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(folder, file).Replace(Path.DirectorySeparatorChar, '/');
            files[relative] = new CachedFile(new FileInfo(file).Length, await HashAsync(file, cancellationToken).ConfigureAwait(false));
        }

        var record = new CacheRecord(identity, files);
        await File.WriteAllTextAsync(Path.Combine(folder, FileName), JsonSerializer.Serialize(record, s_json), cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary>Why the cached folder cannot be trusted for <paramref name="expected"/>; null when it can.</summary>
    /// <param name="folder">The cached folder.</param>
    /// <param name="expected">What the caller wants it to be.</param>
    /// <param name="cancellationToken">Cancels the checksums.</param>
    /// <param name="registryKnown">
    /// Whether <paramref name="expected"/>'s run id and source come from the registry; when it could not be asked,
    /// only the server, name, version and checksums are compared.
    /// </param>
    public static async Task<string?> ProblemAsync(string folder, CacheIdentity expected, CancellationToken cancellationToken, bool registryKnown = true)
    {
        var recordFile = Path.Combine(folder, FileName);
        if (!Directory.Exists(folder))
        {
            return NotCached;
        }

        CacheRecord? record;
        try
        {
            record = JsonSerializer.Deserialize<CacheRecord>(await File.ReadAllTextAsync(recordFile, cancellationToken).ConfigureAwait(false), s_json);
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
        {
            return $"its cache record is missing or unreadable ({e.GetType().Name})";
        }

        if (record?.Identity is not { } cached)
        {
            return "its cache record is empty";
        }

        if (registryKnown ? cached != expected : (cached.Server, cached.Name, cached.Version) != (expected.Server, expected.Name, expected.Version))
        {
            return $"it was downloaded as {Describe(cached)}, but the registry now says {Describe(expected)}";
        }

        foreach (var (relative, file) in record.Files)
        {
            var path = Path.Combine(folder, relative.Replace('/', Path.DirectorySeparatorChar));
            if (!File.Exists(path) || new FileInfo(path).Length != file.Size
                || await HashAsync(path, cancellationToken).ConfigureAwait(false) != file.Sha256)
            {
                return $"'{relative}' no longer matches its recorded checksum";
            }
        }

        return null;
    }

    private static string Describe(CacheIdentity identity) =>
        $"{identity.Name ?? identity.Source}{(identity.Version is null ? "" : "/" + identity.Version)} of run '{identity.RunId}' " +
        $"from {identity.Server} (source {identity.Source})";

    private static async Task<string> HashAsync(string file, CancellationToken cancellationToken)
    {
        var stream = File.OpenRead(file);
        await using (stream.ConfigureAwait(false))
        {
            return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken).ConfigureAwait(false));
        }
    }

    private sealed record CachedFile(long Size, string Sha256);

    private sealed record CacheRecord(CacheIdentity Identity, SortedDictionary<string, CachedFile> Files);
}
