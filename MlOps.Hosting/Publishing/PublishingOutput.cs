using System.Text;

namespace MlOps.Hosting.Publishing;

/// <summary>Where a publisher writes and how: output path rules, manifest-relative paths, atomic writes.</summary>
internal static class PublishingOutput
{
    /// <summary>The file to write: <paramref name="outputPath"/> itself when it ends with one of
    /// <paramref name="fileExtensions"/>, otherwise <paramref name="defaultFileName"/> inside that folder.</summary>
    public static string ResolveFile(string outputPath, string defaultFileName, params string[] fileExtensions)
    {
        var full = Path.GetFullPath(outputPath);
        return fileExtensions.Any(e => full.EndsWith(e, StringComparison.OrdinalIgnoreCase))
            ? full
            : Path.Combine(full, defaultFileName);
    }

    /// <summary><paramref name="path"/> relative to <paramref name="baseDirectory"/>, with forward slashes.</summary>
    public static string RelativePath(string baseDirectory, string path) =>
        Path.GetRelativePath(baseDirectory, path).Replace('\\', '/');

    /// <summary>Writes <paramref name="text"/> (UTF-8, no BOM) through a temp file in the same folder and a move,
    /// so a reader never sees half a file.</summary>
    public static async Task WriteAtomicallyAsync(string path, string text, CancellationToken cancellationToken)
    {
        var directory = Path.GetDirectoryName(path)!;
        Directory.CreateDirectory(directory);
        var temp = Path.Combine(directory, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            await File.WriteAllTextAsync(temp, text, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), cancellationToken)
                .ConfigureAwait(false);
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            File.Delete(temp);
        }
    }
}
