using System.Security.Cryptography;

namespace MlOps.Trainer.Versioning;

/// <summary>
/// DVC-compatible data versioning for single files: pointer files and verification (push and pull to remotes live in
/// <c>MlOps.Trainer.Remotes</c>). Every write is atomic (temporary file in the same folder, then a move).
/// </summary>
public static class DataVersioning
{
    public const string PointerExtension = ".dvc";

    /// <summary>Lowercase hex MD5 of the raw bytes, as DVC 3 stores with <c>hash: md5</c>.</summary>
    public static string Md5Of(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan);
        return Convert.ToHexStringLower(MD5.HashData(stream));
    }

    public static string PointerPathFor(string dataPath) => dataPath + PointerExtension;

    /// <summary>Writes <c>&lt;dataPath&gt;.dvc</c> and makes sure the folder's .gitignore ignores the data file.</summary>
    public static DvcPointer Add(string dataPath)
    {
        RequireDataFile(dataPath);
        var pointer = new DvcPointer(Md5Of(dataPath), new FileInfo(dataPath).Length, Path.GetFileName(dataPath));
        AtomicFile.WriteAllText(PointerPathFor(dataPath), pointer.Format());
        EnsureGitIgnored(dataPath);
        return pointer;
    }

    public static DvcPointer ReadPointer(string dataPath)
    {
        var pointerPath = PointerPathFor(dataPath);
        if (!File.Exists(pointerPath))
        {
            throw new BadInputException($"{pointerPath}: pointer file not found; run 'dvc add' (or the add command) first.");
        }

        return DvcPointer.Parse(File.ReadAllText(pointerPath), pointerPath);
    }

    public static DataVerification Verify(string dataPath)
    {
        var name = Path.GetFileName(dataPath);
        if (!File.Exists(PointerPathFor(dataPath)))
        {
            return new DataVerification(VerificationStatus.NoPointer, null, null, null, $"{name}: no {name}{PointerExtension} pointer file.");
        }

        var expected = ReadPointer(dataPath);
        if (!File.Exists(dataPath))
        {
            return new DataVerification(VerificationStatus.Mismatch, expected, null, null, $"{name}: data file is missing (expected md5 {expected.Md5}).");
        }

        // A DVC 2 pointer (no 'hash: md5') records md5-dos2unix, so the file is hashed the same way.
        var md5 = expected.HashName == DvcHashNames.Md5 ? Md5Of(dataPath) : DvcHasher.HashFile(dataPath, expected.HashName);
        var size = new FileInfo(dataPath).Length;
        var matches = md5 == expected.Md5 && (expected.Size is null || expected.Size == size);
        var message = matches
            ? $"{name}: matches {name}{PointerExtension} (md5 {md5})."
            : $"{name}: md5 {md5} ({size} bytes) does not match {name}{PointerExtension} (md5 {expected.Md5}, {expected.Size} bytes).";
        return new DataVerification(matches ? VerificationStatus.Match : VerificationStatus.Mismatch, expected, md5, size, message);
    }

    private static void RequireDataFile(string dataPath)
    {
        if (!File.Exists(dataPath))
        {
            throw new BadInputException($"{dataPath}: file not found.");
        }
    }

    private static void EnsureGitIgnored(string dataPath)
    {
        var gitIgnore = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(dataPath))!, ".gitignore");
        var entry = "/" + Path.GetFileName(dataPath);
        var existing = File.Exists(gitIgnore) ? File.ReadAllText(gitIgnore) : string.Empty;
        if (existing.ReplaceLineEndings("\n").Split('\n').Any(line => line.Trim() == entry))
        {
            return;
        }

        var separator = existing.Length == 0 || existing.EndsWith('\n') ? string.Empty : "\n";
        AtomicFile.WriteAllText(gitIgnore, existing + separator + entry + "\n");
    }
}
