using MlOps.Tracking.Infrastructure;

namespace MlOps.Tracking.Artifacts;

public sealed record FileInfoEntry(string Path, bool IsDir, long? FileSize);

/// <summary>
/// The file artifact store behind <c>mlflow-artifacts:/</c>. Every relative path is checked to stay under the root
/// (no "..", no absolute path, no NUL); writes stream to a temp file in the target folder and are moved into place.
/// </summary>
public sealed class ArtifactStore
{
    private readonly string _root;

    public ArtifactStore(string root)
    {
        _root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
        Directory.CreateDirectory(_root);
    }

    public string Root => _root;

    /// <summary>The absolute path of <paramref name="relative"/>, or INVALID_PARAMETER_VALUE when it would leave the root.</summary>
    public string Resolve(string? relative)
    {
        relative ??= "";

        // Checked raw and once more URL-decoded, so an encoded "..%2F" cannot slip through a later decode.
        if (IsUnsafe(relative) || IsUnsafe(Uri.UnescapeDataString(relative)))
        {
            throw MlflowException.InvalidParameter($"Invalid artifact path: '{relative.Replace("\0", "\\0", StringComparison.Ordinal)}'");
        }

        var full = Path.GetFullPath(Path.Combine(_root, relative));
        return full == _root || full.StartsWith(_root + Path.DirectorySeparatorChar, StringComparison.Ordinal)
            ? full
            : throw MlflowException.InvalidParameter($"Invalid artifact path: '{relative}'");
    }

    private static bool IsUnsafe(string path) =>
        path.Contains('\0', StringComparison.Ordinal) || path.Contains('\\', StringComparison.Ordinal)
        || Path.IsPathRooted(path) || path.Split('/').Any(part => part is "..");

    public async Task WriteAsync(string relative, Stream content, CancellationToken cancellationToken)
    {
        var target = Resolve(relative);
        if (target == _root || Directory.Exists(target))
        {
            throw MlflowException.InvalidParameter($"Invalid artifact path: '{relative}' is a directory");
        }

        var folder = Path.GetDirectoryName(target)!;
        Directory.CreateDirectory(folder);
        var temp = Path.Combine(folder, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.tmp");
        try
        {
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous))
            {
                await content.CopyToAsync(file, cancellationToken);
            }

            File.Move(temp, target, overwrite: true);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    /// <summary>The entries of a folder, paths relative to <paramref name="relativeTo"/>; nothing when it does not exist.</summary>
    public IReadOnlyList<FileInfoEntry> List(string relative, string relativeTo)
    {
        var folder = Resolve(relative);
        var basePath = Resolve(relativeTo);
        if (!Directory.Exists(folder))
        {
            return [];
        }

        return [.. new DirectoryInfo(folder).EnumerateFileSystemInfos()
            .Where(entry => !entry.Name.EndsWith(".tmp", StringComparison.Ordinal) || !entry.Name.StartsWith('.'))
            .OrderBy(entry => entry.Name, StringComparer.Ordinal)
            .Select(entry => new FileInfoEntry(
                Path.GetRelativePath(basePath, entry.FullName).Replace(Path.DirectorySeparatorChar, '/'),
                entry is DirectoryInfo,
                entry is FileInfo file ? file.Length : null))];
    }
}
