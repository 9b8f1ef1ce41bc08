using Microsoft.Extensions.DependencyInjection;
using MlOps.Hosting;
using MlOps.Hosting.ApplicationModel;
using MlOps.Hosting.Orchestration;
using MlOps.Hosting.Orchestration.Runtime.Docker;
using MlOps.Tests.Hosting.Orchestration;
using MlOps.Tests.Infrastructure;
using Npgsql;

namespace MlOps.Tests.Hosting.Docker;

/// <summary>The Docker runtime on the real engine with the locally made images: each test has its own folder, hence its
/// own AppHost id, network and container names, and removes the volumes it made.</summary>
public sealed class DockerRuntimeTests
{
    [Fact]
    public async Task Postgres_RunsAsAContainer_HealthyThroughARealConnection_DatabaseCreated()
    {
        using var temp = new TempDirectory();
        var volume = $"mlops-test-{Guid.NewGuid():N}";
        try
        {
            await using var test = new OrchestrationTestApp(temp.Path, DockerTestEnvironment.Settings);
            var pg = test.Builder.AddPostgres("pg").WithImage("local/postgres", "15").WithDataVolume(volume);
            var db = pg.AddDatabase("appdb");
            await test.StartAsync();

            var server = await test.WaitForHealthyAsync("pg");
            await test.WaitForHealthyAsync("appdb");
            Assert.Equal("container", server.Runtime);
            Assert.NotNull(server.ContainerId);
            var connectionString = await db.Resource.ConnectionStringExpression.GetValueAsync(ValueResolutionContext.Host, CancellationToken.None).DefaultTimeout();
            Assert.Contains("Host=localhost", connectionString, StringComparison.Ordinal);
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync().DefaultTimeout();
            await using var command = new NpgsqlCommand("select current_database()", connection);
            Assert.Equal("appdb", await command.ExecuteScalarAsync().DefaultTimeout());
        }
        finally
        {
            await DockerTestEnvironment.RemoveVolumesAsync(volume);
        }
    }

    [Fact]
    public async Task Dockerfile_IsBuiltBeforeStart_WithItsBuildArgs()
    {
        using var temp = new TempDirectory();
        await File.WriteAllTextAsync(temp.File("Dockerfile"), """
            ARG BASE_IMAGE=debian:bookworm
            FROM ${BASE_IMAGE}
            ARG GREETING=unset
            RUN echo "built with $GREETING" > /greeting
            CMD ["cat", "/greeting"]
            """).DefaultTimeout();
        await using var test = new OrchestrationTestApp(temp.Path, [.. DockerTestEnvironment.Settings, "--Parameters:greeting=hello-from-a-parameter"]);
        test.Builder.AddDockerfile("greeter", temp.Path)
            .WithBuildArg("BASE_IMAGE", DockerTestEnvironment.DebianImage)
            .WithBuildArg("GREETING", test.Builder.AddParameter("greeting").Resource);
        await test.StartAsync();

        var finished = await test.WaitForAsync("greeter", s => s.IsTerminal);

        Assert.Equal(ResourceState.Finished, finished.State);
        Assert.Equal(0, finished.ExitCode);
        Assert.Contains(test.Logs.GetLines("greeter"), l => l.Text == "built with hello-from-a-parameter");
    }

    [Fact]
    public async Task BuildFailure_EndsFailedToStart_WithTheBuildLogInTheConsoleLog()
    {
        using var temp = new TempDirectory();
        await File.WriteAllTextAsync(temp.File("Dockerfile"), $"""
            FROM {DockerTestEnvironment.DebianImage}
            RUN echo "step about to fail" && exit 3
            """).DefaultTimeout();
        await using var test = new OrchestrationTestApp(temp.Path, DockerTestEnvironment.Settings);
        test.Builder.AddDockerfile("broken", temp.Path);
        await test.StartAsync();

        var failed = await test.WaitForAsync("broken", s => s.IsTerminal);

        Assert.Equal(ResourceState.FailedToStart, failed.State);
        Assert.StartsWith("the image build failed with exit code 1", failed.Reason, StringComparison.Ordinal);
        Assert.Contains(test.Logs.GetLines("broken"), l => l.Text.Contains("step about to fail", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Containers_ReachEachOtherByResourceNameAndTargetPort_TheHostByThePublishedPort()
    {
        using var temp = new TempDirectory();
        await using var test = new OrchestrationTestApp(temp.Path, DockerTestEnvironment.Settings);
        var pg = test.Builder.AddPostgres("pg").WithImage("local/postgres", "15");
        test.Builder.AddContainer("client", "local/debian", "bookworm")
            .WithEnvironment("TARGET", pg.Resource.PrimaryEndpoint.Property(EndpointProperty.HostAndPort))
            .WithEntrypoint("bash")
            .WithArgs("-c", "exec 3<>/dev/tcp/${TARGET%:*}/${TARGET#*:} && echo reached $TARGET")
            .WaitFor(pg);
        await test.StartAsync();

        var client = await test.WaitForAsync("client", s => s.IsTerminal);

        Assert.Equal(0, client.ExitCode);
        Assert.Contains(client.Environment, v => v.Name == "TARGET" && v.Value == "pg:5432");
        Assert.Contains(test.Logs.GetLines("client"), l => l.Text == "reached pg:5432");
        var hostUrl = Assert.Single(test.Notifications.Get("pg")!.Urls).Url;
        Assert.StartsWith("tcp://localhost:", hostUrl, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Leftovers_OfACrashedRun_AreRemovedAtStart_AndStopRemovesEverything_ButVolumes()
    {
        using var temp = new TempDirectory();
        var id = ContainerCommandLine.AppHostId(temp.Path, temp.Path);
        var label = $"{ContainerCommandLine.AppHostLabel}={id}";
        var volume = $"mlops-test-{Guid.NewGuid():N}";
        try
        {
            // What a killed AppHost leaves: its network and a running container, both labelled with its id.
            Assert.Equal(0, (await DockerTestEnvironment.RunAsync("network", "create", "--label", label, ContainerCommandLine.NetworkName(id))).Code);
            Assert.Equal(0, (await DockerTestEnvironment.RunAsync("run", "-d", "--name", $"mlops-{id}-old", "--label", label,
                "--network", ContainerCommandLine.NetworkName(id), DockerTestEnvironment.DebianImage, "sleep", "600")).Code);

            await using (var test = new OrchestrationTestApp(temp.Path, DockerTestEnvironment.Settings))
            {
                test.Builder.AddContainer("sleeper", "local/debian", "bookworm").WithVolume(volume, "/keep").WithArgs("sleep", "600");
                await test.StartAsync();
                var sleeper = await test.WaitForStateAsync("sleeper", ResourceState.Running);

                var running = await DockerTestEnvironment.WithLabelAsync("container", label);
                Assert.Equal([sleeper.ContainerId![..12]], running.Select(r => r[..12]));
            }

            Assert.Empty(await DockerTestEnvironment.WithLabelAsync("container", label));
            Assert.Empty(await DockerTestEnvironment.WithLabelAsync("network", label));
            Assert.True(await DockerTestEnvironment.VolumeExistsAsync(volume));
        }
        finally
        {
            await DockerTestEnvironment.RunAsync("rm", "-f", $"mlops-{id}-old");
            await DockerTestEnvironment.RemoveVolumesAsync(volume);
        }
    }

    [Fact]
    public async Task RequireGpu_WithoutAGpu_EndsFailedToStart()
    {
        using var temp = new TempDirectory();
        await using var test = new OrchestrationTestApp(temp.Path, [.. DockerTestEnvironment.Settings, "--require-gpu"]);
        test.Builder.Services.AddSingleton<IGpuProbe>(new FakeGpuProbe(false, "no NVIDIA GPU on this machine"));
        test.Builder.AddContainer("trainer", "local/debian", "bookworm").WithContainerRuntimeArgs("--gpus", "all").WithArgs("true");
        await test.StartAsync();

        var failed = await test.WaitForAsync("trainer", s => s.IsTerminal);

        Assert.Equal(ResourceState.FailedToStart, failed.State);
        Assert.Equal("a GPU is required (AppHost:RequireGpu) but no NVIDIA GPU on this machine", failed.Reason);
    }

    [Fact]
    public async Task GpuRequested_WithoutAGpu_RunsOnCpu_AndTheConsoleLogSaysWhy()
    {
        using var temp = new TempDirectory();
        await using var test = new OrchestrationTestApp(temp.Path, DockerTestEnvironment.Settings);
        test.Builder.Services.AddSingleton<IGpuProbe>(new FakeGpuProbe(false, "no NVIDIA GPU on this machine"));
        test.Builder.AddContainer("trainer", "local/debian", "bookworm").WithContainerRuntimeArgs("--gpus", "all").WithArgs("true");
        await test.StartAsync();

        var finished = await test.WaitForAsync("trainer", s => s.IsTerminal);

        Assert.Equal(0, finished.ExitCode);
        Assert.Contains(test.Logs.GetLines("trainer"), l => l.Text == "trainer runs on CPU: no NVIDIA GPU on this machine");
    }
}
