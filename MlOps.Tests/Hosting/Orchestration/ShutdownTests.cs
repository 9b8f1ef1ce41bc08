using MlOps.Hosting;
using MlOps.Hosting.Orchestration;
using MlOps.Tests.Infrastructure;

namespace MlOps.Tests.Hosting.Orchestration;

public sealed class ShutdownTests
{
    [Fact]
    public async Task Stop_StopsDependentsFirst_LeavesNoProcessAndNoListeningPort()
    {
        using var temp = new TempDirectory();
        await using var test = new OrchestrationTestApp(temp.Path);
        // Each records when it got SIGTERM; the trap runs once the current 0.1 s sleep ends.
        static string Service(string name) => $"trap 'echo {name} >> order.txt; exit 0' TERM; while true; do sleep 0.1; done";
        var web = test.AddHttpServer("web");
        var a = test.AddBash("a", Service("a")).WaitFor(web);
        var b = test.AddBash("b", Service("b")).WaitFor(a);
        test.AddBash("c", "sleep 300 & echo $! > c-child.pid; wait").WaitFor(b);

        await test.StartAsync();
        await test.WaitForStateAsync("c", ResourceState.Running);
        var pids = new[] { "web", "a", "b", "c" }.Select(n => test.Notifications.Get(n)!.ProcessId!.Value).ToArray();
        var child = await OrchestrationTestApp.ReadPidAsync(temp.File("c-child.pid"));
        var port = new Uri(test.Notifications.Get("web")!.Urls[0].Url).Port;
        Assert.True(OrchestrationTestApp.IsListening(port));

        await test.App.StopAsync().DefaultTimeout();

        Assert.Equal(["b", "a"], await File.ReadAllLinesAsync(temp.File("order.txt")).DefaultTimeout());
        Assert.All(pids, pid => Assert.False(OrchestrationTestApp.IsAlive(pid), $"pid {pid} is still alive"));
        Assert.False(OrchestrationTestApp.IsAlive(child));
        Assert.False(OrchestrationTestApp.IsListening(port));
        Assert.All(new[] { "web", "a", "b", "c" }, n => Assert.Equal(ResourceState.Exited, test.Notifications.Get(n)!.State));
        var stoppedAt = new[] { "c", "b", "a", "web" }.Select(n => test.FirstVersion(n, s => s.State == ResourceState.Exited)).ToArray();
        Assert.Equal(stoppedAt.Order(), stoppedAt);
    }
}
