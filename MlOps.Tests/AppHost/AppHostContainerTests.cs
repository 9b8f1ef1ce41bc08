using MlOps.Hosting.Orchestration;
using MlOps.Hosting.Orchestration.Runtime.Docker;
using MlOps.Tests.Hosting.Docker;
using MlOps.Tests.Infrastructure;

namespace MlOps.Tests.AppHost;

/// <summary>The real AppHost in container mode on the local Docker engine, with the locally made base images and the
/// tracking server's image standing in for MLflow's (which cannot be had here): PostgreSQL, MLflow, the data job and the
/// trainer run as containers, serving as a process. Volumes are named after this test run and removed at the end.</summary>
[Collection(AppHostCollection.Name)]
public sealed class AppHostContainerTests
{
    private static readonly TimeSpan s_startup = TimeSpan.FromMinutes(8);

    [Fact]
    public async Task ContainerMode_TrainsRegistersServes_StopRemovesContainersAndNetwork_SecondStartReusesTheVolumes()
    {
        using var data = new AppHostDataDirectory();
        var name = $"mlops-test-{Guid.NewGuid():N}"[..23];
        string[] settings =
        [
            .. DockerTestEnvironment.Settings.Select(s => s[2..]),
            $"AppHost:Name={name}",
            $"Images:postgres={DockerTestEnvironment.PostgresImage}",
            $"Images:dotnet-sdk={DockerTestEnvironment.SdkImage}",
            $"Images:dotnet-runtime={DockerTestEnvironment.RuntimeImage}",
            "Mlflow:Server=tracking",
        ];
        var label = $"{ContainerCommandLine.AppHostLabel}={ContainerCommandLine.AppHostId(AppHostDirectory, data.Path)}";
        try
        {
            await using (var host = await AppHostProcess.StartAsync(data.Path, settings))
            {
                // First run: the trainer container trains and registers version 1; serving (a process) loads and predicts.
                await host.WaitForAsync("trainer", s => s.State == ResourceState.Finished, s_startup);
                Assert.Equal(0, host.History.Last(s => s.Name == "trainer").ExitCode);
                await host.WaitForHealthyAsync("serving", s_startup);
                foreach (var container in new[] { "postgres", "mlflow", "trainer" })
                {
                    Assert.Equal("container", host.History.Last(s => s.Name == container).Runtime);
                }

                Assert.Equal("process", host.History.Last(s => s.Name == "serving").Runtime);
                Assert.Contains("trainer runs on CPU:", host.Output, StringComparison.Ordinal);
                using var serving = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{host.Ports["serving"]}") };
                using var tracking = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{host.Ports["mlflow"]}") };
                Assert.Equal("1", await AppHostEndToEndTests.ProductionVersionAsync(tracking));
                Assert.InRange((await AppHostEndToEndTests.PredictAsync(serving)).Probability, 0.0, 1.0);
                Assert.NotEmpty(await DockerTestEnvironment.WithLabelAsync("container", label));

                Assert.Equal(0, await host.InterruptAsync(TimeSpan.FromSeconds(120)));
            }

            Assert.Empty(await DockerTestEnvironment.WithLabelAsync("container", label));
            Assert.Empty(await DockerTestEnvironment.WithLabelAsync("network", label));
            Assert.True(await DockerTestEnvironment.VolumeExistsAsync($"{name}-postgres-data"));

            // Second start: the registry (PostgreSQL volume) and the artifacts (volume) are still there, so nothing is
            // retrained and serving loads version 1 again.
            await using (var host = await AppHostProcess.StartAsync(data.Path, settings))
            {
                await host.WaitForHealthyAsync("serving", s_startup);
                using var serving = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{host.Ports["serving"]}") };
                Assert.Equal("1", (await AppHostEndToEndTests.PredictAsync(serving)).Version);
                Assert.DoesNotContain(host.History, s => s.Name == "trainer" && s.State != ResourceState.NotStarted);
                Assert.Equal(0, await host.InterruptAsync(TimeSpan.FromSeconds(120)));
            }

            Assert.Empty(await DockerTestEnvironment.WithLabelAsync("container", label));
        }
        finally
        {
            await DockerTestEnvironment.RemoveVolumesAsync($"{name}-postgres-data", $"{name}-mlflow-artifacts", $"{name}-training-data");
        }
    }

    private static string AppHostDirectory => Path.Combine(AppHostProcess.RepositoryRoot, "MlOps.AppHost");
}
