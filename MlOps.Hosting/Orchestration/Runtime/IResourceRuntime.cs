namespace MlOps.Hosting.Orchestration.Runtime;

/// <summary>A POSIX signal the runtime sends to a child process.</summary>
public enum ProcessSignal
{
    /// <summary>SIGINT (PostgreSQL: fast shutdown).</summary>
    Interrupt = 2,

    /// <summary>SIGKILL.</summary>
    Kill = 9,

    /// <summary>SIGTERM (the default graceful stop).</summary>
    Terminate = 15,
}

/// <summary>One process to launch, fully resolved: no late values left.</summary>
/// <param name="ResourceName">The resource it runs for.</param>
/// <param name="Executable">The program (a path, or a name looked up on PATH).</param>
/// <param name="Args">The arguments.</param>
/// <param name="Environment">Variables added to (or replacing those of) the AppHost's environment.</param>
/// <param name="WorkingDirectory">The working directory.</param>
/// <param name="Output">Receives every line the process writes: the text and true for stderr.</param>
public sealed record ResourceLaunchSpec(
    string ResourceName,
    string Executable,
    IReadOnlyList<string> Args,
    IReadOnlyDictionary<string, string> Environment,
    string WorkingDirectory,
    Action<string, bool> Output)
{
    /// <summary>The signal of a graceful stop.</summary>
    public ProcessSignal StopSignal { get; init; } = ProcessSignal.Terminate;

    /// <summary>The signal the child gets when the AppHost dies (Linux parent-death signal).</summary>
    public ProcessSignal DeathSignal { get; init; } = ProcessSignal.Kill;

    /// <summary>A system user to run as (the AppHost must be root), or null for the AppHost's user.</summary>
    public string? RunAsUser { get; init; }
}

/// <summary>A launched resource: its process, its exit and how to stop it.</summary>
public interface IResourceProcess
{
    /// <summary>The process id.</summary>
    int ProcessId { get; }

    /// <summary>Completes with the exit code once the process has ended and its output has been read.</summary>
    Task<int> Exited { get; }

    /// <summary>Stops gracefully (<see cref="ResourceLaunchSpec.StopSignal"/>), waits up to <paramref name="gracePeriod"/>,
    /// then kills the whole process tree. Completes once nothing of it is left.</summary>
    Task StopAsync(TimeSpan gracePeriod);
}

/// <summary>Runs resources as processes (keyed service <c>local</c>). Containers go through the Docker runtime
/// (<c>Runtime/Docker/DockerContainerRuntime</c>), which starts each container attached through this seam.</summary>
public interface IResourceRuntime
{
    /// <summary>Shown in snapshots (<see cref="ResourceSnapshot.Runtime"/>): <c>process</c>, <c>container</c>.</summary>
    string Name { get; }

    /// <summary>Launches one resource.</summary>
    Task<IResourceProcess> StartAsync(ResourceLaunchSpec spec, CancellationToken cancellationToken);
}
