using System.Text;

namespace MlOps.Hosting.Compose;

/// <summary>Where the compose export writes, and how: path rules, compose-style relative paths, atomic writes.</summary>
internal static class ComposeOutput
{
    /// <summary>The compose file to write: <paramref name="outputPath"/> itself when it names a <c>.yml</c>/<c>.yaml</c>
    /// file, otherwise <c>docker-compose.yml</c> inside that folder.</summary>
    public static string ComposeFile(string outputPath)
    {
        var full = Path.GetFullPath(outputPath);
        return full.EndsWith(".yml", StringComparison.OrdinalIgnoreCase) || full.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase)
            ? full
            : Path.Combine(full, ComposeNames.ComposeFile);
    }

    /// <summary><paramref name="path"/> relative to the compose folder, spelled as compose expects (<c>./x</c>, <c>../x</c>).</summary>
    public static string Relative(string composeDirectory, string path)
    {
        var relative = Path.GetRelativePath(composeDirectory, path).Replace('\\', '/');
        return Path.IsPathRooted(relative) || relative.StartsWith("../", StringComparison.Ordinal) || relative == ".."
            ? relative
            : relative == "." ? "." : "./" + relative;
    }

    /// <summary>Writes <paramref name="text"/> (UTF-8, no BOM) through a temp file in the same folder and a move, so a
    /// reader never sees half a file.</summary>
    public static async Task WriteAsync(string path, string text, CancellationToken cancellationToken)
    {
        var directory = Path.GetDirectoryName(path)!;
        Directory.CreateDirectory(directory);
        var temp = Path.Combine(directory, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            await File.WriteAllTextAsync(temp, text, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), cancellationToken).ConfigureAwait(false);
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            File.Delete(temp);
        }
    }
}
