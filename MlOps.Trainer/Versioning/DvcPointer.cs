using System.Globalization;

namespace MlOps.Trainer.Versioning;

/// <summary>
/// A DVC 3 pointer file (<c>data.csv.dvc</c>) for a single file: its MD5, size in bytes and path relative to the pointer.
/// </summary>
public sealed record DvcPointer(string Md5, long? Size, string Path)
{
    /// <summary>The text <c>dvc add</c> writes: LF line endings and a trailing newline.</summary>
    public string Format()
    {
        var size = Size is { } s ? string.Create(CultureInfo.InvariantCulture, $"  size: {s}\n") : string.Empty;
        return $"outs:\n- md5: {Md5}\n{size}  hash: md5\n  path: {Path}\n";
    }

    /// <summary>Reads the single output of a pointer file, ignoring keys it does not need.</summary>
    public static DvcPointer Parse(string text, string pointerPath) => DvcPointerParser.Parse(text, pointerPath);
}
