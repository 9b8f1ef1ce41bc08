using MlOps.Hosting.Orchestration.Runtime;

namespace MlOps.Hosting.Orchestration;

/// <summary>The run-time state of one resource. Rule: starts and stops of a resource hold <see cref="Gate"/>.</summary>
internal sealed class ResourceExecution(ResourcePlan plan)
{
    private volatile IResourceProcess? _process;

    public ResourcePlan Plan { get; } = plan;

    public SemaphoreSlim Gate { get; } = new(1, 1);

    /// <summary>Cancels the current run's waiting and launching (not a running process: that is stopped by signal).</summary>
    public CancellationTokenSource? Cancellation { get; set; }

    /// <summary>The current (or last) run, from waiting to the final state.</summary>
    public Task Run { get; set; } = Task.CompletedTask;

    /// <summary>The running process, or null.</summary>
    public IResourceProcess? Process
    {
        get => _process;
        set => _process = value;
    }

    /// <summary>True when the current run is being stopped on purpose (command or shutdown).</summary>
    public bool StopRequested { get; set; }
}
