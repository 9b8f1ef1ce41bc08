namespace MlOps.Tests.AppHost;

/// <summary>Whether a process is still alive (a zombie waiting to be reaped counts as gone).</summary>
internal static class ProcessProbe
{
    public static bool IsAlive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var state = stat[(stat.LastIndexOf(')') + 2)..][0];
            return state is not ('Z' or 'X');
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>Waits until none of <paramref name="pids"/> is alive; returns those still alive after <paramref name="timeout"/>.</summary>
    public static async Task<int[]> WaitAllGoneAsync(IEnumerable<int> pids, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        int[] alive;
        while ((alive = pids.Where(IsAlive).ToArray()).Length > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }

        return alive;
    }
}
