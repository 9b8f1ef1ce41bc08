using System.Net;
using System.Net.Sockets;
using MlOps.Hosting;
using MlOps.Hosting.Orchestration;
using MlOps.Tests.Infrastructure;

namespace MlOps.Tests.Hosting.Orchestration;

public sealed class LifecycleTests
{
    [Fact]
    public async Task ExplicitStart_StaysNotStarted_UntilStartCommand_ThenFinishes()
    {
        using var temp = new TempDirectory();
        await using var test = new OrchestrationTestApp(temp.Path);
        test.AddBash("job", "echo trained; exit 0").WithExplicitStart();
        test.AddBash("other", "exit 0");

        await test.StartAsync();
        await test.WaitForStateAsync("other", ResourceState.Finished);
        await Task.Delay(300);
        var before = test.Notifications.Get("job")!;
        Assert.Equal(ResourceState.NotStarted, before.State);
        Assert.True(before.IsExplicitStart);

        Assert.True((await test.ExecuteAsync("job", KnownResourceCommands.Start)).Success);
        var finished = await test.WaitForStateAsync("job", ResourceState.Finished);
        Assert.Equal(0, finished.ExitCode);
        Assert.Equal(1, finished.StartCount);

        Assert.True((await test.ExecuteAsync("job", KnownResourceCommands.Start)).Success);
        var again = await test.WaitForAsync("job", s => s.State == ResourceState.Finished && s.StartCount == 2);
        Assert.Equal(2, test.Logs.GetLines("job").Count(l => l.Text == "trained"));
        Assert.Equal(0, again.ExitCode);
    }

    [Fact]
    public async Task ExplicitStart_NonZeroExit_IsFinishedWithTheExitCode()
    {
        using var temp = new TempDirectory();
        await using var test = new OrchestrationTestApp(temp.Path);
        test.AddBash("job", "exit 4").WithExplicitStart();

        await test.StartAsync();
        await test.ExecuteAsync("job", KnownResourceCommands.Start);

        var finished = await test.WaitForStateAsync("job", ResourceState.Finished);
        Assert.Equal(4, finished.ExitCode);
    }

    [Fact]
    public async Task Restart_NewProcess_OldOneGone_StartCountIncremented()
    {
        using var temp = new TempDirectory();
        await using var test = new OrchestrationTestApp(temp.Path);
        test.AddBash("svc", "sleep 300");

        await test.StartAsync();
        var first = await test.WaitForStateAsync("svc", ResourceState.Running);

        Assert.True((await test.ExecuteAsync("svc", KnownResourceCommands.Restart)).Success);
        var second = await test.WaitForAsync("svc", s => s.State == ResourceState.Running && s.StartCount == 2);

        Assert.Equal(1, first.StartCount);
        Assert.NotEqual(first.ProcessId, second.ProcessId);
        Assert.False(OrchestrationTestApp.IsAlive(first.ProcessId!.Value));
    }

    [Fact]
    public async Task Stop_LongRunningResource_IsExited_AndItsChildrenAreGone()
    {
        using var temp = new TempDirectory();
        await using var test = new OrchestrationTestApp(temp.Path);
        // bash dies on SIGTERM at once; its background sleep must not be left behind.
        test.AddBash("svc", "sleep 300 & echo $! > child.pid; wait");

        await test.StartAsync();
        var running = await test.WaitForStateAsync("svc", ResourceState.Running);
        var child = await OrchestrationTestApp.ReadPidAsync(temp.File("child.pid"));

        Assert.True((await test.ExecuteAsync("svc", KnownResourceCommands.Stop)).Success);

        var stopped = test.Notifications.Get("svc")!;
        Assert.Equal(ResourceState.Exited, stopped.State);
        Assert.False(OrchestrationTestApp.IsAlive(running.ProcessId!.Value));
        Assert.False(OrchestrationTestApp.IsAlive(child));
        Assert.Contains(test.History, s => s.Name == "svc" && s.State == ResourceState.Stopping);
        Assert.False((await test.ExecuteAsync("svc", KnownResourceCommands.Stop)).Success);
    }

    [Fact]
    public async Task FixedPortInUse_FailsThatResource_NamingResourceAndPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        using var temp = new TempDirectory();
        await using var test = new OrchestrationTestApp(temp.Path);
        test.AddBash("mlflow", "sleep 300").WithHttpEndpoint(port: port);
        test.AddBash("other", "sleep 300");

        await test.StartAsync();
        var failed = await test.WaitForStateAsync("mlflow", ResourceState.FailedToStart);

        Assert.Equal($"port {port} of resource 'mlflow' is already in use", failed.Reason);
        await test.WaitForStateAsync("other", ResourceState.Running);
    }

    [Fact]
    public async Task ConsoleOutput_CapturedLineByLine_StderrMarkedAsError()
    {
        using var temp = new TempDirectory();
        await using var test = new OrchestrationTestApp(temp.Path);
        test.AddBash("talker", "echo out-1; echo err-1 >&2; echo out-2");

        await test.StartAsync();
        await test.WaitForStateAsync("talker", ResourceState.Finished);

        var lines = test.Logs.GetLines("talker");
        Assert.StartsWith("Starting: bash -c ", lines[0].Text);
        Assert.Contains(lines, l => l is { Text: "out-1", IsError: false });
        Assert.Contains(lines, l => l is { Text: "err-1", IsError: true });
        var outputs = lines.Where(l => !l.IsError && l.Text.StartsWith("out-", StringComparison.Ordinal)).Select(l => l.Text);
        Assert.Equal(["out-1", "out-2"], outputs);
    }
}
