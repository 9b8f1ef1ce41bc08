using Aspire.Hosting;
using MlOps.Hosting.Runtime;

namespace MlOps.Tests.Hosting;

/// <summary>The start-up decision between containers and local processes, with a hand-written fake of the container CLI
/// (<see cref="FakeContainerEngineProbe"/>) answering as <c>docker version --format json</c> does.</summary>
[Collection(MlOps.Tests.AppHost.AppHostCollection.Name)] // Aspire.Hosting.Testing watches every builder made in the process.
public sealed class RuntimeModeTests
{
    private const string DockerAnswers = """{"Client":{"Version":"28.2.2","ApiVersion":"1.41"},"Server":{"Version":"20.10.24+dfsg1","ApiVersion":"1.41"}}""";
    private const string DaemonDown = """{"Client":{"Version":"28.2.2","ApiVersion":"1.50"},"Server":null}""";

    [Fact]
    public void Parse_ClientAndEngine_IsUsable()
    {
        var info = ContainerEngineProbe.Parse("docker", DockerAnswers + "\n", "");
        Assert.Equal("28.2.2", info.ClientVersion);
        Assert.Equal("20.10.24+dfsg1", info.ServerVersion);
        Assert.Null(info.Unusable);
    }

    [Fact]
    public void Parse_DaemonDown_SaysWhyFromStderr()
    {
        var info = ContainerEngineProbe.Parse("docker", DaemonDown, "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?\n");
        Assert.False(info.EngineAnswers);
        Assert.Contains("Cannot connect to the Docker daemon", info.Unusable, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_DockerCliOlderThan25_IsUnusable()
    {
        var info = ContainerEngineProbe.Parse("docker", DockerAnswers.Replace("28.2.2", "20.10.24+dfsg1", StringComparison.Ordinal), "");
        Assert.Contains("older than the 25.0", info.Unusable, StringComparison.Ordinal);
    }

    [Fact]
    public void Auto_EngineAnswers_Containers()
    {
        var probe = new FakeContainerEngineProbe(DockerAnswers, "");
        var mode = Builder().AddRuntimeMode(probe);
        Assert.True(mode.UseContainers);
        Assert.Equal("docker", mode.ContainerCli);
        Assert.Contains("docker 28.2.2, engine 20.10.24", mode.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Auto_NoEngine_LocalProcesses_SayingWhy()
    {
        var mode = Builder().AddRuntimeMode(new FakeContainerEngineProbe(DaemonDown, "Cannot connect to the Docker daemon"));
        Assert.False(mode.UseContainers);
        Assert.Contains("no container engine answered", mode.Reason, StringComparison.Ordinal);
        Assert.Contains("Cannot connect to the Docker daemon", mode.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Docker_NoEngine_FailsWithTheFix()
    {
        var error = Assert.Throws<DistributedApplicationException>(() =>
            Builder("--AppHost:Runtime=docker").AddRuntimeMode(new FakeContainerEngineProbe(DaemonDown, "Cannot connect")));
        Assert.Contains("--runtime local", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Local_NeverAsksTheEngine()
    {
        var probe = new FakeContainerEngineProbe(DockerAnswers, "");
        Assert.False(Builder(AppHostArguments.Normalize(["--runtime", "local"])).AddRuntimeMode(probe).UseContainers);
        Assert.Equal(0, probe.Calls);
    }

    [Fact]
    public void Publishing_IsContainerMode_WithoutAskingTheEngine()
    {
        var probe = new FakeContainerEngineProbe(DaemonDown, "down");
        Assert.True(Builder("--publisher", "manifest", "--output-path", Path.GetTempFileName()).AddRuntimeMode(probe).UseContainers);
        Assert.Equal(0, probe.Calls);
    }

    [Fact]
    public void Normalize_MapsTheAppHostSwitches_AndKeepsTheRest()
    {
        Assert.Equal(["--AppHost:Runtime=docker", "--AppHost:RequireGpu=true", "--Ports:mlflow=5001"],
            AppHostArguments.Normalize(["--runtime", "docker", "--require-gpu", "--Ports:mlflow=5001"]));
    }

    private static IDistributedApplicationBuilder Builder(params string[] args) =>
        DistributedApplication.CreateBuilder(new DistributedApplicationOptions { Args = args, DisableDashboard = true });
}

/// <summary>Answers as the container CLI would (a process boundary the decision tests do not start).</summary>
internal sealed class FakeContainerEngineProbe(string stdout, string stderr) : IContainerEngineProbe
{
    public int Calls { get; private set; }

    public Task<ContainerEngineInfo> ProbeAsync(string cli, CancellationToken cancellationToken)
    {
        Calls++;
        return Task.FromResult(ContainerEngineProbe.Parse(cli, stdout, stderr));
    }
}
