using MlOps.Hosting;
using MlOps.Hosting.ApplicationModel;
using MlOps.Hosting.Orchestration;
using MlOps.Tests.Infrastructure;

namespace MlOps.Tests.Hosting.Orchestration;

public sealed class StandInTests
{
    [Fact]
    public async Task ContainerWithLocalStandIn_RunsTheStandIn_WithContainersEndpointsAndHealth_OwnEnvironmentOnly()
    {
        using var temp = new TempDirectory();
        await using var test = new OrchestrationTestApp(temp.Path);
        var standIn = new ExecutableResource("mlflow", "/usr/bin/python3", temp.Path);
        var mlflow = test.Builder.AddContainer("mlflow", "ghcr.io/mlflow/mlflow")
            .WithHttpEndpoint()
            .WithHttpHealthCheck("/")
            .WithEnvironment("CONTAINER_ONLY", "yes");
        var port = mlflow.GetEndpoint("http").Property(EndpointProperty.Port);
        mlflow.WithLocalStandIn(standIn, "no container engine: embedded tracking server",
            s => s.WithArgs("-m", "http.server", port, "--bind", "127.0.0.1").WithEnvironment("STAND_IN_ONLY", "yes"));

        await test.StartAsync();
        var running = await test.WaitForHealthyAsync("mlflow");

        Assert.Equal("no container engine: embedded tracking server", running.StandInReason);
        Assert.Equal("process", running.Runtime);
        Assert.Contains(running.Environment, v => v.Name == "STAND_IN_ONLY");
        Assert.DoesNotContain(running.Environment, v => v.Name == "CONTAINER_ONLY");
        Assert.True(OrchestrationTestApp.IsListening(new Uri(running.Urls[0].Url).Port));
    }

    [Fact]
    public async Task ProjectNotBuilt_FailsToStart_SayingWhereTheAssemblyWasExpected()
    {
        using var temp = new TempDirectory();
        Directory.CreateDirectory(temp.File("Api"));
        await File.WriteAllTextAsync(temp.File("Api/Api.csproj"), "<Project Sdk=\"Microsoft.NET.Sdk\" />").DefaultTimeout();
        await using var test = new OrchestrationTestApp(temp.Path);
        test.Builder.AddProject("api", "Api/Api.csproj");

        await test.StartAsync();
        var failed = await test.WaitForStateAsync("api", ResourceState.FailedToStart);

        Assert.StartsWith("the built assembly of project 'Api' was not found under ", failed.Reason);
        Assert.Equal("Project", failed.ResourceType);
    }
}
