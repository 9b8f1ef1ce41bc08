using System.Runtime.InteropServices;

namespace MlOps.Trainer.Training;

/// <summary>Replaces a folder by another so that, at every instant, one complete folder is in place.</summary>
internal static partial class FolderSwap
{
    private const int AtCurrentDirectory = -100;
    private const uint RenameExchange = 2;

    /// <summary>
    /// Moves <paramref name="source"/> to <paramref name="target"/>. An existing target is exchanged atomically
    /// (then deleted) where the kernel and file system can; otherwise it is renamed to <paramref name="asideName"/>
    /// first, which <see cref="ModelFolderDebris.Clean"/> restores after a crash.
    /// </summary>
    public static void Replace(string source, string target, string asideName)
    {
        if (!Directory.Exists(target))
        {
            Directory.Move(source, target);
            return;
        }

        if (TryExchange(source, target))
        {
            // source now holds the old folder.
            TryDelete(source);
            return;
        }

        var aside = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(target))!, asideName);
        Directory.Move(target, aside);
        try
        {
            Directory.Move(source, target);
        }
        catch
        {
            Directory.Move(aside, target);
            throw;
        }

        TryDelete(aside);
    }

    public static bool TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Leftover hidden folders are harmless; the next run tries again.
            return false;
        }
    }

    private static bool TryExchange(string a, string b)
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        try
        {
            return RenameAt2(AtCurrentDirectory, Path.GetFullPath(a), AtCurrentDirectory, Path.GetFullPath(b), RenameExchange) == 0;
        }
        catch (EntryPointNotFoundException)
        {
            // A C library without renameat2 (glibc < 2.28, some musl builds): the fallback does the job.
            return false;
        }
    }

    [LibraryImport("libc", EntryPoint = "renameat2", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int RenameAt2(int oldDirectory, string oldPath, int newDirectory, string newPath, uint flags);
}
