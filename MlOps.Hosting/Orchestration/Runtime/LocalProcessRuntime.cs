using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace MlOps.Hosting.Orchestration.Runtime;

/// <summary>Runs resources as child processes of the AppHost (local mode).</summary>
internal sealed class LocalProcessRuntime(ProcessSpawner spawner, ILogger<LocalProcessRuntime> logger) : IResourceRuntime
{
    private int _warned;

    public string Name => "process";

    public async Task<IResourceProcess> StartAsync(ResourceLaunchSpec spec, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (spawner.SetprivPath is null && Interlocked.Exchange(ref _warned, 1) == 0)
        {
            logger.LogWarning("setpriv not found: child processes may survive if the AppHost is killed hard (SIGKILL).");
        }

        if (spec.RunAsUser is not null && spawner.SetprivPath is null)
        {
            throw new DistributedApplicationException($"Resource '{spec.ResourceName}' must run as user '{spec.RunAsUser}', which needs setpriv.");
        }

        var process = await spawner.StartAsync(ProcessSpawner.BuildStartInfo(spec, spawner.SetprivPath)).ConfigureAwait(false);
        return new LocalProcess(process, spec);
    }
}

/// <summary>One child process: its output pumped line by line, its exit, its stop.</summary>
internal sealed class LocalProcess : IResourceProcess
{
    private static readonly TimeSpan s_outputDrainTimeout = TimeSpan.FromSeconds(2);
    private readonly Process _process;
    private readonly ResourceLaunchSpec _spec;

    public LocalProcess(Process process, ResourceLaunchSpec spec)
    {
        _process = process;
        _spec = spec;
        ProcessId = process.Id;
        process.StandardInput.Close();
        var stdout = PumpAsync(process.StandardOutput, isError: false);
        var stderr = PumpAsync(process.StandardError, isError: true);
        Exited = WaitForExitAsync(stdout, stderr);
    }

    public int ProcessId { get; }

    public Task<int> Exited { get; }

    public async Task StopAsync(TimeSpan gracePeriod)
    {
        if (Exited.IsCompleted)
        {
            return;
        }

        // Children left behind by the main process (bash's background jobs) are killed from this list.
        var tree = ProcessTree.Descendants(ProcessId);
        ProcessTree.Signal(ProcessId, _spec.StopSignal);
        try
        {
            await Exited.WaitAsync(gracePeriod).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            KillTree();
        }

        var leftovers = tree.Concat(ProcessTree.Descendants(ProcessId)).Where(ProcessTree.IsAlive).ToArray();
        foreach (var pid in leftovers)
        {
            ProcessTree.Signal(pid, ProcessSignal.Kill);
        }

        await Exited.ConfigureAwait(false);
        // SIGKILL is delivered asynchronously: report stopped only once the leftovers are really gone.
        for (var i = 0; i < 100 && leftovers.Any(ProcessTree.IsAlive); i++)
        {
            await Task.Delay(20).ConfigureAwait(false);
        }
    }

    private void KillTree()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    private async Task PumpAsync(StreamReader reader, bool isError)
    {
        while (await reader.ReadLineAsync().ConfigureAwait(false) is { } line)
        {
            _spec.Output(line, isError);
        }
    }

    private async Task<int> WaitForExitAsync(Task stdout, Task stderr)
    {
        await _process.WaitForExitAsync().ConfigureAwait(false);
        try
        {
            // A grandchild that inherited the pipes may keep them open; do not wait for it forever.
            await Task.WhenAll(stdout, stderr).WaitAsync(s_outputDrainTimeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
        }

        var code = _process.ExitCode;
        _process.Dispose();
        return code;
    }
}
