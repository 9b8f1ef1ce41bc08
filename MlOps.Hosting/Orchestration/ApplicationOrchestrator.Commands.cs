namespace MlOps.Hosting.Orchestration;

internal sealed partial class ApplicationOrchestrator
{
    private async Task<ResourceCommandResult> StartCommandAsync(ResourceExecution execution, CancellationToken cancellationToken)
    {
        var plan = execution.Plan;
        if (plan.Kind == ResourceKind.Parameter)
        {
            return new ResourceCommandResult(true);
        }

        long version;
        await execution.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!execution.Run.IsCompleted)
            {
                return new ResourceCommandResult(false, $"resource '{plan.Name}' is already running");
            }

            version = notifications.Get(plan.Name)!.Version;
            if (plan.Kind == ResourceKind.Unsupported)
            {
                Fail(plan, plan.UnsupportedReason!);
                return new ResourceCommandResult(false, plan.UnsupportedReason);
            }

            BeginRun(execution);
        }
        finally
        {
            execution.Gate.Release();
        }

        // Started means running or waiting for dependencies; a failure is reported with its reason.
        var snapshot = await notifications.WaitForAsync(plan.Name, s => s.Version > version
            && s.State is ResourceState.Running or ResourceState.Waiting or ResourceState.FailedToStart or ResourceState.Exited or ResourceState.Finished,
            cancellationToken).ConfigureAwait(false);
        return snapshot.State == ResourceState.FailedToStart
            ? new ResourceCommandResult(false, snapshot.Reason)
            : new ResourceCommandResult(true);
    }

    private async Task<ResourceCommandResult> StopCommandAsync(ResourceExecution execution)
    {
        if (execution.Run.IsCompleted)
        {
            return new ResourceCommandResult(false, $"resource '{execution.Plan.Name}' is not running");
        }

        await StopResourceAsync(execution).ConfigureAwait(false);
        return new ResourceCommandResult(true);
    }

    private async Task<ResourceCommandResult> RestartCommandAsync(ResourceExecution execution, CancellationToken cancellationToken)
    {
        await StopResourceAsync(execution).ConfigureAwait(false);
        return await StartCommandAsync(execution, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stops the current run: cancels waiting, stops the process (graceful, then killed after the grace period)
    /// and returns once the final state is published.</summary>
    private async Task StopResourceAsync(ResourceExecution execution)
    {
        await execution.Gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (execution.Run.IsCompleted)
            {
                return;
            }

            execution.StopRequested = true;
            await execution.Cancellation!.CancelAsync().ConfigureAwait(false);
            if (execution.Process is { } process)
            {
                notifications.Update(execution.Plan.Name, s => s with { State = ResourceState.Stopping });
                logs.Write(execution.Plan.Name, "Stopping", isError: false);
                await process.StopAsync(options.StopGracePeriod).ConfigureAwait(false);
            }

            await execution.Run.ConfigureAwait(false);
        }
        finally
        {
            execution.Gate.Release();
        }
    }
}
