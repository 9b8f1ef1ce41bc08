using Aspire.Hosting.ApplicationModel;

namespace MlOps.Tests.AppHost;

/// <summary>The real AppHost in container mode on the local Docker engine, with the locally made base images and our
/// tracking server's image standing in for MLflow's (which cannot be had here): PostgreSQL, mlflow, the data job and the
/// trainer run as containers, serving as a project. Volumes are named after this test run and removed at the end.</summary>
[Collection(AppHostCollection.Name)]
public sealed class ContainerModeTests
{
    // Cold image builds (trainer, tracking) on two shared cores.
    private static readonly TimeSpan s_startup = TimeSpan.FromMinutes(15);

    [Fact]
    public async Task ContainerMode_TrainsServes_StopLeavesNoContainerOrNetwork_SecondStartReusesTheVolumes()
    {
        DockerTestEnvironment.UseBuildKitShim();
        using var data = new AppHostDataDirectory();
        var name = $"mlops-test-{Guid.NewGuid():N}"[..23];
        var settings = DockerTestEnvironment.Settings(name);
        var containers = new List<string>();
        var networks = new List<string>();
        try
        {
            await using (var app = await MlOpsApp.StartAsync(data.Path, settings: settings))
            {
                // First run: the trainer container trains and registers version 1; serving (a project) loads it.
                var trained = await app.WaitForAsync("trainer", MlOpsApp.Completed, s_startup);
                Assert.Equal(0, trained.Snapshot.ExitCode);
                await app.WaitForHealthyAsync("serving", s_startup);
                foreach (var resource in new[] { "postgres", "mlflow", "data", "trainer" })
                {
                    var snapshot = app.History.Last(e => e.Resource.Name == resource).Snapshot;
                    Assert.Equal("Container", snapshot.ResourceType);
                    containers.Add((string)snapshot.Properties.Single(p => p.Name == "container.id").Value!);
                }

                Assert.Equal("Project", app.History.Last(e => e.Resource.Name == "serving").Snapshot.ResourceType);
                Assert.Contains("trainer runs on CPU:", await app.LogTailAsync("trainer", 200), StringComparison.Ordinal);
                using var serving = app.Client("serving");
                using var tracking = app.Client("mlflow");
                Assert.Equal("1", await LocalModeTests.ProductionVersionAsync(tracking));
                Assert.InRange((await LocalModeTests.PredictAsync(serving)).Probability, 0.0, 1.0);
                var (_, attached) = await DockerTestEnvironment.RunAsync("inspect", "--format",
                    "{{range $name, $_ := .NetworkSettings.Networks}}{{$name}} {{end}}", containers[0]);
                networks.AddRange(attached.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            }

            foreach (var container in containers)
            {
                Assert.False(await DockerTestEnvironment.ExistsAsync("container", container), $"container {container} is left behind");
            }

            Assert.NotEmpty(networks);
            foreach (var network in networks)
            {
                Assert.False(await DockerTestEnvironment.ExistsAsync("network", network), $"network {network} is left behind");
            }

            Assert.True(await DockerTestEnvironment.ExistsAsync("volume", $"{name}-postgres-data"));

            // Second start: the registry (PostgreSQL's volume) and the artifacts (a volume) are still there, so nothing
            // is retrained and serving loads version 1 again.
            await using (var app = await MlOpsApp.StartAsync(data.Path, settings: settings))
            {
                await app.WaitForHealthyAsync("serving", s_startup);
                using var serving = app.Client("serving");
                Assert.Equal("1", (await LocalModeTests.PredictAsync(serving)).Version);
                Assert.All(app.History.Where(e => e.Resource.Name == "trainer"),
                    e => Assert.True(e.Snapshot.State?.Text is null || e.Snapshot.State.Text == KnownResourceStates.NotStarted, $"trainer went {e.Snapshot.State?.Text}"));
            }
        }
        finally
        {
            await DockerTestEnvironment.RemoveVolumesAsync($"{name}-postgres-data", $"{name}-mlflow-artifacts");
        }
    }
}
