using System.Diagnostics;
using MlOps.Hosting.Orchestration.Runtime;
using MlOps.Tests.Infrastructure;

namespace MlOps.Tests.Hosting.Orchestration;

public sealed class ProcessSpawnerTests
{
    private static ResourceLaunchSpec Spec(string executable, params string[] args) =>
        new("svc", executable, args, new Dictionary<string, string> { ["A"] = "1" }, "/tmp", (_, _) => { });

    [Fact]
    public void BuildStartInfo_WithSetpriv_PutsPdeathsigInFront()
    {
        var info = ProcessSpawner.BuildStartInfo(Spec("bash", "-c", "echo hi"), "/usr/bin/setpriv");

        Assert.Equal("/usr/bin/setpriv", info.FileName);
        Assert.Equal(["--pdeathsig", "KILL", "--", "bash", "-c", "echo hi"], info.ArgumentList);
        Assert.Equal("1", info.Environment["A"]);
        Assert.Equal("/tmp", info.WorkingDirectory);
        Assert.True(info.RedirectStandardOutput && info.RedirectStandardError);
    }

    [Fact]
    public void BuildStartInfo_AsAnotherUser_ChangesUserThenSetsDeathSignal()
    {
        var spec = Spec("/usr/lib/postgresql/15/bin/postgres", "-D", "/data") with { RunAsUser = "postgres", DeathSignal = ProcessSignal.Interrupt };

        var info = ProcessSpawner.BuildStartInfo(spec, "/usr/bin/setpriv");

        Assert.Equal(["--reuid", "postgres", "--regid", "postgres", "--init-groups", "--pdeathsig", "INT", "--",
            "/usr/lib/postgresql/15/bin/postgres", "-D", "/data"], info.ArgumentList);
    }

    [Fact]
    public void BuildStartInfo_WithoutSetpriv_StartsTheProgramDirectly()
    {
        var info = ProcessSpawner.BuildStartInfo(Spec("bash", "-c", "true"), setprivPath: null);

        Assert.Equal("bash", info.FileName);
        Assert.Equal(["-c", "true"], info.ArgumentList);
    }

    [Fact]
    public async Task Spawner_ChildRequestedFromShortLivedThreads_OutlivesThem()
    {
        if (!File.Exists("/usr/bin/setpriv"))
        {
            return; // Linux only (macOS has no parent-death signal).
        }

        using var spawner = new ProcessSpawner();
        Task<Process>? request = null;
        var thread = new Thread(() => request = spawner.StartAsync(ProcessSpawner.BuildStartInfo(Spec("sleep", "30"), spawner.SetprivPath)));
        thread.Start();
        thread.Join();
        using var child = await request!.DefaultTimeout();
        // Churn the thread pool as well: none of this work may take the child with it.
        await Task.WhenAll(Enumerable.Range(0, 64).Select(_ => Task.Run(() => Thread.Sleep(20)))).DefaultTimeout();
        await Task.Delay(TimeSpan.FromSeconds(2));

        Assert.False(child.HasExited);
        child.Kill();
        await child.WaitForExitAsync().DefaultTimeout();
    }
}
