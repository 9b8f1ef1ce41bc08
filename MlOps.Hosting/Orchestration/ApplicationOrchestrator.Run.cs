using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using MlOps.Hosting.ApplicationModel;
using MlOps.Hosting.Orchestration.Runtime;
using MlOps.Hosting.Orchestration.Runtime.Docker;

namespace MlOps.Hosting.Orchestration;

internal sealed partial class ApplicationOrchestrator
{
    /// <summary>One run of a resource: wait for dependencies, start, run until it ends, publish the final state.</summary>
    private async Task RunAsync(ResourceExecution execution, CancellationToken cancellationToken)
    {
        var plan = execution.Plan;
        try
        {
            await DependencyWaiter.WaitAsync(plan, notifications, cancellationToken).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            notifications.Update(plan.Name, s => s with
            {
                State = ResourceState.Starting,
                StartCount = s.StartCount + 1,
                Reason = null,
                ExitCode = null,
                Health = null,
                HealthReports = [],
                StartedAt = DateTimeOffset.UtcNow,
                StoppedAt = null,
            });
            var exit = plan.Kind == ResourceKind.Database
                ? await RunDatabaseAsync(plan, cancellationToken).ConfigureAwait(false)
                : await RunProcessAsync(execution, cancellationToken).ConfigureAwait(false);
            Ended(execution, exit);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Ended(execution, exitCode: null);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Anything that keeps a resource from starting (a busy port, a missing binary, a value that cannot be
            // resolved, a failed dependency) ends as FailedToStart with the one-line reason.
            Fail(plan, e.Message);
        }
    }

    private async Task<int?> RunProcessAsync(ResourceExecution execution, CancellationToken cancellationToken)
    {
        var plan = execution.Plan;
        var isContainer = plan.Kind == ResourceKind.Container;
        var process = isContainer
            ? await StartContainerAsync(plan, cancellationToken).ConfigureAwait(false)
            : await StartLocalProcessAsync(plan, cancellationToken).ConfigureAwait(false);
        execution.Process = process;
        if (cancellationToken.IsCancellationRequested)
        {
            // A stop arrived while launching: it may not have seen the process.
            _ = process.StopAsync(options.StopGracePeriod);
        }

        var hasChecks = plan.HealthChecks.Count > 0;
        notifications.Update(plan.Name, s => s with
        {
            State = ResourceState.Running,
            ProcessId = process.ProcessId,
            ContainerId = (process as DockerContainer)?.ContainerId,
            Runtime = isContainer ? "container" : _runtime.Name,
            Health = hasChecks ? ResourceHealthStatus.Unhealthy : ResourceHealthStatus.Healthy,
        });
        logger.LogInformation("{Resource} started (pid {Pid}).", plan.Name, process.ProcessId);
        using var health = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var monitor = hasChecks ? healthMonitor.RunAsync(plan, health.Token) : Task.CompletedTask;
        var code = await process.Exited.ConfigureAwait(false);
        await health.CancelAsync().ConfigureAwait(false);
        await monitor.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default).ConfigureAwait(false);
        execution.Process = null;
        logs.Write(plan.Name, $"Exited with code {code}", isError: false);
        return code;
    }

    private async Task<IResourceProcess> StartLocalProcessAsync(ResourcePlan plan, CancellationToken cancellationToken)
    {
        var (spec, secretArgs) = await BuildSpecAsync(plan, cancellationToken).ConfigureAwait(false);
        logs.Write(plan.Name, $"Starting: {CommandLine(spec, secretArgs)}", isError: false);
        return await _runtime.StartAsync(spec, cancellationToken).ConfigureAwait(false);
    }

    private async Task<(ResourceLaunchSpec Spec, ImmutableHashSet<string> SecretArgs)> BuildSpecAsync(ResourcePlan plan, CancellationToken cancellationToken)
    {
        if (EndpointAllocator.CheckAvailable(plan.Name, plan.Endpoints) is { } busy)
        {
            throw new DistributedApplicationException(busy);
        }

        var environment = await resolver.ResolveEnvironmentAsync(plan, cancellationToken).ConfigureAwait(false);
        var args = await resolver.ResolveArgsAsync(plan, cancellationToken).ConfigureAwait(false);
        notifications.Update(plan.Name, s => s with
        {
            Urls = Urls(plan),
            Environment = [.. environment.Select(v => new ResourceEnvironmentVariable(v.Name, v.IsSecret ? SecretValues.Mask : v.Value, v.IsSecret))],
        });
        var variables = environment.ToDictionary(v => v.Name, v => v.Value, StringComparer.Ordinal);
        var name = plan.Name;
        void Output(string line, bool isError) => logs.Write(name, line, isError);
        var argValues = args.Select(a => a.Value).ToArray();
        var secretArgs = args.Where(a => a.IsSecret).Select(a => a.Value).ToImmutableHashSet(StringComparer.Ordinal);
        var spec = plan.Source switch
        {
            PostgresServerResource server => await _postgres.PrepareAsync(server, variables, Output, cancellationToken).ConfigureAwait(false),
            ProjectResource project => new ResourceLaunchSpec(name, "dotnet", [FindAssembly(project), .. argValues], variables,
                Path.GetDirectoryName(project.ProjectPath)!, Output),
            ExecutableResource executable => new ResourceLaunchSpec(name, FindProgram(executable), argValues, variables, executable.WorkingDirectory, Output),
            _ => throw new DistributedApplicationException($"resource '{name}' has nothing to run locally"),
        };
        return (spec, secretArgs);
    }

    private async Task<int?> RunDatabaseAsync(ResourcePlan plan, CancellationToken cancellationToken)
    {
        var database = (PostgresDatabaseResource)plan.Resource;
        await LocalPostgres.CreateDatabasesAsync(database.Server, [database.DatabaseName], cancellationToken).ConfigureAwait(false);
        logs.Write(plan.Name, $"Database '{database.DatabaseName}' is ready on '{database.Server.Name}'.", isError: false);
        notifications.Update(plan.Name, s => s with
        {
            State = ResourceState.Running,
            Health = ResourceHealthStatus.Healthy,
            HealthReports = [new ResourceHealthReport("database", ResourceHealthStatus.Healthy, null, DateTimeOffset.UtcNow)],
        });
        // The database lives as long as its server runs.
        await notifications.WaitForAsync(database.Server.Name, s => s.State != ResourceState.Running, cancellationToken).ConfigureAwait(false);
        return null;
    }

    /// <summary>The final state of a run. Explicit-start resources are run-to-completion jobs: any end is
    /// <see cref="ResourceState.Finished"/> with its exit code. Long-running resources are Finished only when they
    /// exit with 0 on their own; a non-zero exit or a stop (command, shutdown) is <see cref="ResourceState.Exited"/>.</summary>
    private void Ended(ResourceExecution execution, int? exitCode)
    {
        var plan = execution.Plan;
        var state = plan.IsExplicitStart ? ResourceState.Finished
            : exitCode == 0 && !execution.StopRequested && !_stopping ? ResourceState.Finished
            : ResourceState.Exited;
        var reason = execution.StopRequested || _stopping ? "stopped" : null;
        notifications.Update(plan.Name, s => s with
        {
            State = s.State is ResourceState.Waiting && exitCode is null ? ResourceState.NotStarted : state,
            ExitCode = exitCode,
            Reason = reason,
            ProcessId = null,
            ContainerId = null,
            Health = null,
            StoppedAt = DateTimeOffset.UtcNow,
        });
    }

    private static string FindAssembly(ProjectResource project)
    {
        if (project.AssemblyPath is { } recorded)
        {
            return recorded;
        }

        var directory = Path.GetDirectoryName(project.ProjectPath)!;
        var name = Path.GetFileNameWithoutExtension(project.ProjectPath);
        return new[] { "Release", "Debug" }
            .Select(c => Path.Combine(directory, "bin", c, "net10.0", name + ".dll"))
            .FirstOrDefault(File.Exists)
            ?? throw new DistributedApplicationException(
                $"the built assembly of project '{name}' was not found under {Path.Combine(directory, "bin")}/{{Release,Debug}}/net10.0: build it first (dotnet build)");
    }

    // Checked here so that a typo is a FailedToStart with a reason, not an exit code from setpriv.
    private static string FindProgram(ExecutableResource executable)
    {
        var command = executable.Command;
        var found = command.Contains('/', StringComparison.Ordinal)
            ? File.Exists(Path.GetFullPath(command, executable.WorkingDirectory))
            : (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Any(d => d.Length > 0 && File.Exists(Path.Combine(d, command)));
        return found ? command : throw new DistributedApplicationException($"program '{command}' of resource '{executable.Name}' was not found");
    }

    // The command line as shown on the console: secret arguments masked, never the environment.
    private static string CommandLine(ResourceLaunchSpec spec, ImmutableHashSet<string> secretArgs) =>
        string.Join(' ', new[] { spec.Executable }.Concat(spec.Args.Select(a => secretArgs.Contains(a) ? SecretValues.Mask : Quote(a))));

    private static string Quote(string arg) => arg.Length > 0 && !arg.Any(c => char.IsWhiteSpace(c) || c is '"' or '\'')
        ? arg
        : "'" + arg.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
