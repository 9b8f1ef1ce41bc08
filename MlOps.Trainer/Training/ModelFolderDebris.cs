using System.Diagnostics;
using System.Globalization;

namespace MlOps.Trainer.Training;

/// <summary>
/// Names of the hidden folders beside <c>model/</c> and the clean-up of those a dead trainer left. Each name carries
/// the writer's process id, so a folder another living trainer is writing right now is never touched.
/// </summary>
internal static class ModelFolderDebris
{
    public const string StagingPrefix = ".model.tmp-";
    public const string OldPrefix = ".model.old-";

    public static string TempName(string prefix) =>
        string.Create(CultureInfo.InvariantCulture, $"{prefix}{Environment.ProcessId}-{Guid.NewGuid():N}");

    /// <summary>Removes stale staging folders, and puts an old model folder back when a crash left none in place.</summary>
    public static IReadOnlyList<string> Clean(string outputDirectory, string target)
    {
        var notes = new List<string>();
        if (!Directory.Exists(outputDirectory))
        {
            return notes;
        }

        var old = Stale(outputDirectory, OldPrefix).OrderByDescending(Directory.GetLastWriteTimeUtc).ToList();
        if (!Directory.Exists(target) && old.Count > 0)
        {
            // The fallback swap renames the old model aside before moving the new one in; a crash in between left
            // no model/, so the old one goes back.
            Directory.Move(old[0], target);
            notes.Add($"restored {target} from {Path.GetFileName(old[0])}, left by a trainer that stopped while replacing it");
            old.RemoveAt(0);
        }

        foreach (var folder in Stale(outputDirectory, StagingPrefix).Concat(old))
        {
            if (FolderSwap.TryDelete(folder))
            {
                notes.Add($"removed {Path.GetFileName(folder)}, left by a trainer that did not finish");
            }
        }

        return notes;
    }

    private static IEnumerable<string> Stale(string outputDirectory, string prefix) =>
        Directory.EnumerateDirectories(outputDirectory, prefix + "*").Where(d => !WriterAlive(Path.GetFileName(d)[prefix.Length..])).ToList();

    // "<pid>-<guid>" from this version, "<guid>" from earlier ones (whose writers are long gone).
    private static bool WriterAlive(string suffix)
    {
        var dash = suffix.IndexOf('-', StringComparison.Ordinal);
        if (dash <= 0 || !int.TryParse(suffix.AsSpan(0, dash), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
        {
            return false;
        }

        if (pid == Environment.ProcessId)
        {
            return false;
        }

        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
