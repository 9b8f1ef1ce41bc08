using System.Globalization;

namespace MlOps.Trainer.Versioning;

/// <summary>
/// A DVC pointer file (<c>data.csv.dvc</c>) for a single file: its MD5, size in bytes and path relative to the pointer.
/// </summary>
public sealed record DvcPointer(string Md5, long? Size, string Path)
{
    /// <summary>
    /// How <see cref="Md5"/> was computed: <c>md5</c> (DVC 3, the raw bytes, <c>hash: md5</c> in the file) or
    /// <c>md5-dos2unix</c> (DVC 2, no <c>hash</c> key: text chunks hashed with CRLF turned into LF).
    /// </summary>
    public string HashName { get; init; } = DvcHashNames.Md5;

    /// <summary>The remote this output names (<c>remote:</c>, written by <c>dvc add --remote</c>), if any.</summary>
    public string? Remote { get; init; }

    /// <summary>The text <c>dvc add</c> writes (key order as DVC's <c>Output.dumpd</c>): LF line endings and a trailing newline.</summary>
    public string Format()
    {
        var size = Size is { } s ? string.Create(CultureInfo.InvariantCulture, $"  size: {s}\n") : string.Empty;
        var hash = HashName == DvcHashNames.Md5 ? "  hash: md5\n" : string.Empty;
        var remote = Remote is null ? string.Empty : $"  remote: {Remote}\n";
        return $"outs:\n- md5: {Md5}\n{size}{hash}  path: {Path}\n{remote}";
    }

    /// <summary>Reads the single output of a pointer file, ignoring keys it does not need.</summary>
    public static DvcPointer Parse(string text, string pointerPath) => DvcPointerParser.Parse(text, pointerPath);
}
