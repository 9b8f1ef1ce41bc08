namespace MlOps.Trainer.Training;

/// <summary>The output folder's one check: can this process create files in it.</summary>
internal static class OutputFolder
{
    /// <summary>Creates the folder if needed and writes and removes a probe file; any failure is bad input (exit 2).</summary>
    public static void EnsureWritable(string directory)
    {
        if (File.Exists(directory))
        {
            throw new BadInputException($"--output {directory}: is a file, not a folder.");
        }

        var probe = Path.Combine(directory, $".write-probe-{Environment.ProcessId}-{Guid.NewGuid():N}");
        try
        {
            Directory.CreateDirectory(directory);
            using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose))
            {
            }
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            throw new BadInputException($"--output {directory}: the output folder is not writable ({e.Message}); nothing was trained.", e);
        }
    }
}
