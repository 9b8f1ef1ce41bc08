using System.Globalization;
using System.Runtime.InteropServices;

namespace MlOps.Hosting.Orchestration.Runtime;

/// <summary>Signals and the descendants of a process, read from <c>/proc</c> (empty elsewhere).</summary>
internal static partial class ProcessTree
{
    /// <summary>Sends <paramref name="signal"/> to <paramref name="pid"/>; false when it is gone.</summary>
    public static bool Signal(int pid, ProcessSignal signal) => !OperatingSystem.IsWindows() && Kill(pid, (int)signal) == 0;

    /// <summary>True while <paramref name="pid"/> exists (and is not a zombie).</summary>
    public static bool IsAlive(int pid)
    {
        if (OperatingSystem.IsLinux())
        {
            var stat = ReadStat(pid);
            return stat is not null && stat.Value.State != 'Z';
        }

        return !OperatingSystem.IsWindows() && Kill(pid, 0) == 0;
    }

    /// <summary>Every descendant of <paramref name="pid"/> right now, children first.</summary>
    public static IReadOnlyList<int> Descendants(int pid)
    {
        if (!OperatingSystem.IsLinux())
        {
            return [];
        }

        var children = new Dictionary<int, List<int>>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var candidate)
                && ReadStat(candidate) is { } stat)
            {
                if (!children.TryGetValue(stat.ParentId, out var list))
                {
                    children[stat.ParentId] = list = [];
                }

                list.Add(candidate);
            }
        }

        var result = new List<int>();
        var queue = new Queue<int>([pid]);
        while (queue.TryDequeue(out var current))
        {
            foreach (var child in children.GetValueOrDefault(current) ?? [])
            {
                result.Add(child);
                queue.Enqueue(child);
            }
        }

        return result;
    }

    private static (int ParentId, char State)? ReadStat(int pid)
    {
        try
        {
            // "pid (comm) S ppid ...": comm may contain spaces and parentheses, so parse after the last ')'.
            var text = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
            var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
            return (int.Parse(fields[1], CultureInfo.InvariantCulture), fields[0][0]);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
