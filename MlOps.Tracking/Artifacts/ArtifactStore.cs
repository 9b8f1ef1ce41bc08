using MlOps.Tracking.Infrastructure;

namespace MlOps.Tracking.Artifacts;

public sealed record FileInfoEntry(string Path, bool IsDir, long? FileSize);

/// <summary>
/// The file artifact store behind <c>mlflow-artifacts:/</c>. Every relative path is checked to stay under the root
/// (no "..", no absolute path, no NUL) and within what a file system takes (255 bytes a segment, 1,024 characters in
/// all); writes stream to a temp file in the target folder and are moved into place. Every refusal is an
/// INVALID_PARAMETER_VALUE naming the relative path, never a server path.
/// </summary>
public sealed class ArtifactStore
{
    public const int MaxPathLength = 1024;
    public const int MaxSegmentBytes = 255;
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
        if (relative.Length > MaxPathLength || relative.Split('/').Any(segment => System.Text.Encoding.UTF8.GetByteCount(segment) > MaxSegmentBytes))
        {
            throw MlflowException.InvalidParameter(
                $"Invalid artifact path '{Display(relative)}': longer than {MaxPathLength} characters or {MaxSegmentBytes} bytes in one segment.");
        }

        // Checked raw and once more URL-decoded, so an encoded "..%2F" cannot slip through a later decode.
        if (IsUnsafe(relative) || IsUnsafe(Uri.UnescapeDataString(relative)))
        {
            throw MlflowException.InvalidParameter($"Invalid artifact path: '{Display(relative)}'");
        }

        var full = Path.GetFullPath(Path.Combine(_root, relative));
        return full == _root || full.StartsWith(_root + Path.DirectorySeparatorChar, StringComparison.Ordinal)
            ? full
            : throw MlflowException.InvalidParameter($"Invalid artifact path: '{Display(relative)}'");
    }

    /// <summary>A path as it may appear in a message: no NUL, and not a page long.</summary>
    private static string Display(string relative)
    {
        var safe = relative.Replace("\0", "\\0", StringComparison.Ordinal);
        return safe.Length > 200 ? safe[..200] + "…" : safe;
    }

    private static bool IsUnsafe(string path) =>
        path.Contains('\0', StringComparison.Ordinal) || path.Contains('\\', StringComparison.Ordinal)
        || Path.IsPathRooted(path) || path.Split('/').Any(part => part is "..");

    public async Task WriteAsync(string relative, Stream content, CancellationToken cancellationToken)
    {
        if (relative.EndsWith('/'))
        {
            throw MlflowException.InvalidParameter($"Invalid artifact path '{Display(relative)}': a file's path cannot end with '/'.");
        }

        var target = Resolve(relative);
        if (target == _root || Directory.Exists(target))
        {
            throw MlflowException.InvalidParameter($"Invalid artifact path: '{Display(relative)}' is a directory");
        }

        RequireNoFileAbove(relative, target);
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

    // A file where a folder of the path should be would make the folder creation fail deep in the file system.
    private void RequireNoFileAbove(string relative, string target)
    {
        for (var folder = Path.GetDirectoryName(target); folder is not null && folder.Length > _root.Length; folder = Path.GetDirectoryName(folder))
        {
            if (File.Exists(folder))
            {
                var blocking = Path.GetRelativePath(_root, folder).Replace(Path.DirectorySeparatorChar, '/');
                throw MlflowException.InvalidParameter($"Invalid artifact path '{Display(relative)}': '{Display(blocking)}' is a file, not a directory.");
            }
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
