using System.Collections.Immutable;
using System.Globalization;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MlOps.Hosting.ApplicationModel;
using MlOps.Hosting.Orchestration.Runtime;

namespace MlOps.Hosting.Orchestration;

/// <summary>Runs the application model: publishes a snapshot per resource, starts every resource that is not
/// explicit-start (each once its waits are satisfied), runs start/stop/restart commands and, on shutdown, stops
/// resources in reverse dependency order. The life of one run is in <c>ApplicationOrchestrator.Run.cs</c>.</summary>
internal sealed partial class ApplicationOrchestrator(
    DistributedApplicationModel model,
    IServiceProvider services,
    ResourceNotificationService notifications,
    ResourceLoggerService logs,
    OrchestratorOptions options,
    LaunchValueResolver resolver,
    HealthMonitor healthMonitor,
    ILogger<ApplicationOrchestrator> logger) : IHostedService
{
    private readonly Dictionary<string, ResourceExecution> _executions = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _shutdown = new();
    private IResourceRuntime _runtime = null!;
    private LocalPostgres _postgres = null!;
    private volatile bool _stopping;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await SelectRuntimeAsync(cancellationToken).ConfigureAwait(false);
        _postgres = new LocalPostgres(options, model, _runtime);
        var plans = model.Resources.Select(r => ResourcePlan.Create(r, containerMode: _containers is not null)).ToArray();
        EndpointAllocator.Allocate(plans.SelectMany(p => p.Endpoints));
        AllocateContainerEndpoints(plans);
        foreach (var plan in plans)
        {
            _executions[plan.Name] = new ResourceExecution(plan);
            notifications.Publish(InitialSnapshot(plan));
        }

        foreach (var execution in _executions.Values)
        {
            await StartInitiallyAsync(execution).ConfigureAwait(false);
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _stopping = true;
        await _shutdown.CancelAsync().ConfigureAwait(false);
        var dependents = _executions.Keys.ToDictionary(n => n, _ => new List<string>(), StringComparer.Ordinal);
        foreach (var plan in _executions.Values.Select(e => e.Plan))
        {
            foreach (var dependency in plan.Dependencies.Where(dependents.ContainsKey))
            {
                dependents[dependency].Add(plan.Name);
            }
        }

        var stops = new Dictionary<string, Task>(StringComparer.Ordinal);
        await Task.WhenAll(_executions.Keys.Select(n => StopAfterDependents(n, dependents, stops, []))).ConfigureAwait(false);
        if (_containers is not null)
        {
            await _containers.ShutdownAsync().ConfigureAwait(false);
        }

        logger.LogInformation("All resources stopped.");
    }

    /// <summary>Runs a command (see <see cref="KnownResourceCommands"/>).</summary>
    public async Task<ResourceCommandResult> ExecuteCommandAsync(string resourceName, string commandName, CancellationToken cancellationToken)
    {
        if (!_executions.TryGetValue(resourceName, out var execution))
        {
            return new ResourceCommandResult(false, $"unknown resource '{resourceName}'");
        }

        if (_stopping)
        {
            return new ResourceCommandResult(false, "the application is shutting down");
        }

        return commandName switch
        {
            KnownResourceCommands.Start => await StartCommandAsync(execution, cancellationToken).ConfigureAwait(false),
            KnownResourceCommands.Stop => await StopCommandAsync(execution).ConfigureAwait(false),
            KnownResourceCommands.Restart => await RestartCommandAsync(execution, cancellationToken).ConfigureAwait(false),
            _ => new ResourceCommandResult(false, $"unknown command '{commandName}'"),
        };
    }

    private ResourceSnapshot InitialSnapshot(ResourcePlan plan) => new()
    {
        Name = plan.Name,
        ResourceType = plan.ResourceType,
        WaitsFor = [.. plan.Waits.Select(w => w.Resource.Name).Distinct(StringComparer.Ordinal)],
        Parent = plan.Parent?.Name,
        IsExplicitStart = plan.IsExplicitStart,
        StandInReason = plan.StandInReason,
        Runtime = plan.Kind == ResourceKind.Container ? "container"
            : plan.Kind is ResourceKind.Process or ResourceKind.Postgres ? _runtime.Name
            : null,
        Urls = Urls(plan),
    };

    private static ImmutableArray<ResourceUrl> Urls(ResourcePlan plan) =>
    [
        .. plan.Endpoints.Where(e => e.AllocatedEndpoint is not null).Select(e =>
            new ResourceUrl(e.Name, $"{e.UriScheme}://{e.AllocatedEndpoint!.Host}:{e.AllocatedEndpoint.Port.ToString(CultureInfo.InvariantCulture)}")),
    ];

    private async Task StartInitiallyAsync(ResourceExecution execution)
    {
        var plan = execution.Plan;
        switch (plan.Kind)
        {
            case ResourceKind.Parameter:
                // A parameter has nothing to run; it is ready (its value is never shown).
                notifications.Update(plan.Name, s => s with { State = ResourceState.Running, Health = ResourceHealthStatus.Healthy });
                break;
            case ResourceKind.Unsupported:
                Fail(plan, plan.UnsupportedReason!);
                break;
            default:
                if (!plan.IsExplicitStart)
                {
                    await BeginRunAsync(execution).ConfigureAwait(false);
                }

                break;
        }
    }

    private async Task BeginRunAsync(ResourceExecution execution)
    {
        await execution.Gate.WaitAsync().ConfigureAwait(false);
        try
        {
            BeginRun(execution);
        }
        finally
        {
            execution.Gate.Release();
        }
    }

    // Caller holds the gate.
    private void BeginRun(ResourceExecution execution)
    {
        execution.StopRequested = false;
        execution.Cancellation?.Dispose();
        execution.Cancellation = CancellationTokenSource.CreateLinkedTokenSource(_shutdown.Token);
        var token = execution.Cancellation.Token;
        execution.Run = Task.Run(() => RunAsync(execution, token), CancellationToken.None);
    }

    private void Fail(ResourcePlan plan, string reason)
    {
        logs.Write(plan.Name, $"Failed to start: {reason}", isError: true);
        logger.LogError("{Resource} failed to start: {Reason}", plan.Name, reason);
        notifications.Update(plan.Name, s => s with { State = ResourceState.FailedToStart, Reason = reason, Health = null });
    }

    private Task StopAfterDependents(string name, Dictionary<string, List<string>> dependents, Dictionary<string, Task> stops, ImmutableHashSet<string> path)
    {
        lock (stops)
        {
            if (stops.TryGetValue(name, out var existing))
            {
                return existing;
            }

            var before = dependents[name].Where(d => !path.Contains(d)).Select(d => StopAfterDependents(d, dependents, stops, path.Add(name))).ToArray();
            var stop = StopWhenDoneAsync(Task.WhenAll(before), _executions[name]);
            stops[name] = stop;
            return stop;
        }
    }

    private async Task StopWhenDoneAsync(Task dependentsStopped, ResourceExecution execution)
    {
        await dependentsStopped.ConfigureAwait(false);
        await StopResourceAsync(execution).ConfigureAwait(false);
    }
}
