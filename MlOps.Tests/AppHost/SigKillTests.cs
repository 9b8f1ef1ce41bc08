using System.Diagnostics;
using MlOps.Tests.Infrastructure;

namespace MlOps.Tests.AppHost;

/// <summary>A SIGKILL of the AppHost leaves no process behind: Aspire's orchestrator (DCP) watches the AppHost and
/// stops every resource when it dies.</summary>
[Collection(AppHostCollection.Name)]
public sealed class SigKillTests
{
    [Fact]
    public async Task SigKill_OfTheAppHost_LeavesNoProcessBehind()
    {
        using var data = new AppHostDataDirectory();
        var marker = Guid.NewGuid().ToString("N");
        var mlflowPort = FreePorts.Next();
        var servingPort = FreePorts.Next();
        using var host = AppHostCli.Start(
            ["--runtime", "local", $"--AppHost:DataDirectory={data.Path}", "--Training:Rows=20000", $"--Ports:mlflow={mlflowPort}", $"--Ports:serving={servingPort}"],
            new Dictionary<string, string> { ["MLOPS_TEST_MARKER"] = marker });
        host.OutputDataReceived += (_, _) => { };
        host.ErrorDataReceived += (_, _) => { };
        host.BeginOutputReadLine();
        host.BeginErrorReadLine();
        try
        {
            // Tracking up (so PostgreSQL is too), and serving listening.
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            await UntilAsync(async () => (await http.GetAsync($"http://127.0.0.1:{mlflowPort}/health")).IsSuccessStatusCode, TimeSpan.FromMinutes(4));
            await UntilAsync(() => Task.FromResult(FreePorts.IsListening(servingPort)), TimeSpan.FromMinutes(2));

            var pids = Marked(marker).Where(p => p != host.Id).ToArray();
            Assert.True(pids.Length >= 4, $"expected DCP, postgres, tracking and serving processes, found {pids.Length}");
            host.Kill(entireProcessTree: false);
            await host.WaitForExitAsync().DefaultTimeout();

            var left = await ProcessProbe.WaitAllGoneAsync(pids, TimeSpan.FromSeconds(60));
            Assert.True(left.Length == 0, $"left behind: {string.Join(", ", left.Select(Describe))}");
        }
        finally
        {
            if (!host.HasExited)
            {
                host.Kill(entireProcessTree: true);
            }
        }
    }

    // Processes whose environment carries the marker: the AppHost's children, DCP and everything DCP started.
    private static int[] Marked(string marker) => Directory.EnumerateDirectories("/proc")
        .Select(d => int.TryParse(Path.GetFileName(d), out var pid) ? pid : 0)
        .Where(pid => pid > 0 && Environ(pid).Contains($"MLOPS_TEST_MARKER={marker}", StringComparison.Ordinal))
        .ToArray();

    private static string Environ(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/environ");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return "";
        }
    }

    private static string Describe(int pid)
    {
        try
        {
            return $"{pid} {File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ')}";
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return pid.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
    }

    private static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            try
            {
                if (await condition().DefaultTimeout())
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not up yet.
            }
            catch (TaskCanceledException)
            {
                // Not up yet.
            }

            await Task.Delay(500);
        }

        throw new TimeoutException($"not ready within {timeout}");
    }
}
