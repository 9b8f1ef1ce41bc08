using System.Collections.Concurrent;
using MlOps.Tests.Infrastructure;

namespace MlOps.Tests.AppHost;

/// <summary>Container mode on a machine that cannot get an image: the console says so once, with the container's log
/// and the fix, instead of a table of failures down the chain.</summary>
[Collection(AppHostCollection.Name)]
public sealed class ContainerFailureReportTests
{
    [Fact]
    public async Task ImageThatCannotBePulled_IsReportedOnce_WithTheFix()
    {
        DockerTestEnvironment.UseBuildKitShim();
        using var data = new AppHostDataDirectory();
        var name = $"mlops-test-{Guid.NewGuid():N}"[..23];
        string[] args =
        [
            .. DockerTestEnvironment.Settings(name).Select(s => "--" + s),
            "--Images:postgres=local/no-such-image:0",
            $"--AppHost:DataDirectory={data.Path}", $"--Ports:mlflow={FreePorts.Next()}", $"--Ports:serving={FreePorts.Next()}",
        ];
        var lines = new ConcurrentQueue<string>();
        using var host = AppHostCli.Start(args);
        host.OutputDataReceived += (_, e) => lines.Enqueue(e.Data ?? "");
        host.ErrorDataReceived += (_, e) => lines.Enqueue(e.Data ?? "");
        host.BeginOutputReadLine();
        host.BeginErrorReadLine();
        try
        {
            var deadline = DateTime.UtcNow.AddMinutes(5);
            while (!lines.Any(l => l.Contains("--runtime local", StringComparison.Ordinal) && l.Contains("Images:postgres", StringComparison.Ordinal))
                && DateTime.UtcNow < deadline && !host.HasExited)
            {
                await Task.Delay(500);
            }

            // Let the failure travel down the chain (mlflow and serving wait for postgres) before counting.
            await Task.Delay(TimeSpan.FromSeconds(10));
            var output = string.Join('\n', lines);
            Assert.Contains("'postgres' failed to start; the last", output, StringComparison.Ordinal);
            Assert.Single(lines, l => l.Contains("To run without containers: --runtime local", StringComparison.Ordinal));
            Assert.DoesNotContain("'mlflow' failed to start; the last", output, StringComparison.Ordinal);
            Assert.DoesNotContain("'serving' failed to start; the last", output, StringComparison.Ordinal);
        }
        finally
        {
            if (!host.HasExited)
            {
                using var term = System.Diagnostics.Process.Start("kill", ["-TERM", host.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
                await term!.WaitForExitAsync().DefaultTimeout();
                if (!await Task.Run(() => host.WaitForExit(TimeSpan.FromMinutes(1))).DefaultTimeout())
                {
                    host.Kill(entireProcessTree: true);
                }
            }

            await DockerTestEnvironment.RemoveVolumesAsync($"{name}-postgres-data", $"{name}-mlflow-artifacts");
        }
    }
}
