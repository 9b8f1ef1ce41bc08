using MlOps.Hosting;
using MlOps.Hosting.Orchestration;
using MlOps.Tests.Infrastructure;

namespace MlOps.Tests.Hosting.Orchestration;

public sealed class DependencyTests
{
    [Fact]
    public async Task WaitFor_HttpDependency_WaiterStartsOnlyAfterDependencyIsHealthy()
    {
        using var temp = new TempDirectory();
        await using var test = new OrchestrationTestApp(temp.Path);
        var web = test.AddHttpServer("web");
        test.AddBash("client", "echo client up; sleep 300").WaitFor(web);

        await test.StartAsync();
        var client = await test.WaitForStateAsync("client", ResourceState.Running);

        var webHealthy = test.FirstVersion("web", s => s.State == ResourceState.Running && s.Health == ResourceHealthStatus.Healthy);
        var clientStarting = test.FirstVersion("client", s => s.State == ResourceState.Starting);
        Assert.True(webHealthy < clientStarting, $"web healthy at {webHealthy}, client starting at {clientStarting}");
        Assert.Contains(test.History, s => s.Name == "client" && s.State == ResourceState.Waiting && s.Reason == "waiting for web");
        Assert.Equal(["web"], client.WaitsFor.ToArray());
        var webSnapshot = test.Notifications.Get("web")!;
        Assert.Contains(webSnapshot.HealthReports, r => r.Name == "http /" && r.Status == ResourceHealthStatus.Healthy);
        Assert.StartsWith("http://localhost:", Assert.Single(webSnapshot.Urls).Url);
    }

    [Fact]
    public async Task WaitForCompletion_DependencyFinishesWithZero_WaiterStartsAfterIt()
    {
        using var temp = new TempDirectory();
        await using var test = new OrchestrationTestApp(temp.Path);
        var migrate = test.AddBash("migrate", "sleep 0.5; echo migrated");
        test.AddBash("api", "sleep 300").WaitForCompletion(migrate);

        await test.StartAsync();
        await test.WaitForStateAsync("api", ResourceState.Running);

        var migrated = test.Notifications.Get("migrate")!;
        Assert.Equal(ResourceState.Finished, migrated.State);
        Assert.Equal(0, migrated.ExitCode);
        Assert.True(test.FirstVersion("migrate", s => s.State == ResourceState.Finished) < test.FirstVersion("api", s => s.State == ResourceState.Starting));
    }

    [Fact]
    public async Task WaitForCompletion_DependencyExitsWithWrongCode_WaiterFailsNamingIt()
    {
        using var temp = new TempDirectory();
        await using var test = new OrchestrationTestApp(temp.Path);
        var migrate = test.AddBash("migrate", "exit 3");
        test.AddBash("api", "sleep 300").WaitForCompletion(migrate);

        await test.StartAsync();
        var api = await test.WaitForStateAsync("api", ResourceState.FailedToStart);

        Assert.Equal(ResourceState.Exited, test.Notifications.Get("migrate")!.State);
        Assert.Contains("'migrate'", api.Reason);
        Assert.Contains("3", api.Reason);
        Assert.Equal(0, api.StartCount);
    }

    [Fact]
    public async Task WaitFor_DependencyFailsToStart_WaiterFailsWithTheDependencysReason()
    {
        using var temp = new TempDirectory();
        await using var test = new OrchestrationTestApp(temp.Path);
        var broken = test.Builder.AddContainer("broken", "example/image");
        test.AddBash("consumer", "sleep 300").WaitFor(broken);

        await test.StartAsync();
        var consumer = await test.WaitForStateAsync("consumer", ResourceState.FailedToStart);

        var reason = "container resources need a container engine (--runtime docker comes with container mode)";
        Assert.Equal(reason, test.Notifications.Get("broken")!.Reason);
        Assert.Equal($"dependency 'broken' failed to start: {reason}", consumer.Reason);
    }

    [Fact]
    public async Task MissingProgram_FailsToStart_AndItsWaiterFails()
    {
        using var temp = new TempDirectory();
        await using var test = new OrchestrationTestApp(temp.Path);
        var missing = test.Builder.AddExecutable("missing", "/nonexistent/program", temp.Path);
        test.AddBash("consumer", "sleep 300").WaitFor(missing);

        await test.StartAsync();
        var consumer = await test.WaitForStateAsync("consumer", ResourceState.FailedToStart);

        var reason = "program '/nonexistent/program' of resource 'missing' was not found";
        Assert.Equal(reason, test.Notifications.Get("missing")!.Reason);
        Assert.Equal($"dependency 'missing' failed to start: {reason}", consumer.Reason);
    }

    [Fact]
    public async Task DockerRuntime_WithoutAnEngine_FailsToStartTheApplication_WithAClearError()
    {
        using var temp = new TempDirectory();
        await using var test = new OrchestrationTestApp(temp.Path, "--runtime", "docker", "--AppHost:ContainerCli=/nonexistent/docker");
        test.AddBash("any", "sleep 300");

        var error = await Assert.ThrowsAsync<DistributedApplicationException>(test.StartAsync).DefaultTimeout();

        Assert.StartsWith("--runtime docker: no container engine answers (docker info: /nonexistent/docker:", error.Message);
    }
}
