using System.Collections.Immutable;

namespace MlOps.Hosting.Orchestration;

/// <summary>The lifecycle states of a resource.</summary>
public enum ResourceState
{
    /// <summary>Declared, not started (explicit-start resources stay here until asked).</summary>
    NotStarted,

    /// <summary>Waiting for its dependencies.</summary>
    Waiting,

    /// <summary>Being launched (image build, process start, database creation).</summary>
    Starting,

    /// <summary>Running (see <see cref="ResourceSnapshot.Health"/> for readiness).</summary>
    Running,

    /// <summary>Being stopped.</summary>
    Stopping,

    /// <summary>Stopped, by request or by exiting with a non-zero code while expected to keep running.</summary>
    Exited,

    /// <summary>A run-to-completion resource that ended (see <see cref="ResourceSnapshot.ExitCode"/>).</summary>
    Finished,

    /// <summary>Could not start, or a dependency failed (see <see cref="ResourceSnapshot.Reason"/>).</summary>
    FailedToStart,
}

/// <summary>Health while running.</summary>
public enum ResourceHealthStatus
{
    /// <summary>Every health check passes.</summary>
    Healthy,

    /// <summary>A health check fails.</summary>
    Unhealthy,
}

/// <summary>One URL of a running resource.</summary>
/// <param name="Name">The endpoint name.</param>
/// <param name="Url">The URL a user or a process on this machine opens.</param>
/// <param name="IsInternal">True for addresses only other containers use.</param>
public sealed record ResourceUrl(string Name, string Url, bool IsInternal = false);

/// <summary>One environment variable as resolved for the last start; <see cref="Value"/> is masked for secrets.</summary>
/// <param name="Name">The variable.</param>
/// <param name="Value">Its value, or <c>********</c> when it carries a secret.</param>
/// <param name="IsSecret">True when masked.</param>
public sealed record ResourceEnvironmentVariable(string Name, string Value, bool IsSecret);

/// <summary>The result of one health check.</summary>
/// <param name="Name">What was checked (<c>http /health</c>, <c>postgres</c>, <c>process</c>).</param>
/// <param name="Status">Its status.</param>
/// <param name="Description">Why, in one line (status code, error message).</param>
/// <param name="CheckedAt">When.</param>
public sealed record ResourceHealthReport(string Name, ResourceHealthStatus Status, string? Description, DateTimeOffset CheckedAt);

/// <summary>Everything known about a resource at one moment. Immutable: changes are new snapshots made with
/// <c>with</c> and published on <see cref="ResourceNotificationService"/>.</summary>
public sealed record ResourceSnapshot
{
    /// <summary>The resource name.</summary>
    public required string Name { get; init; }

    /// <summary><c>Project</c>, <c>Container</c>, <c>Executable</c>, <c>Postgres</c>, <c>PostgresDatabase</c>, <c>Parameter</c>.</summary>
    public required string ResourceType { get; init; }

    /// <summary>The lifecycle state.</summary>
    public ResourceState State { get; init; } = ResourceState.NotStarted;

    /// <summary>Health while running; null when not running or not checked yet.</summary>
    public ResourceHealthStatus? Health { get; init; }

    /// <summary>The latest health check results.</summary>
    public ImmutableArray<ResourceHealthReport> HealthReports { get; init; } = [];

    /// <summary>Why the resource is in its state (the failure, the dependency it waits for).</summary>
    public string? Reason { get; init; }

    /// <summary>How it runs: <c>process</c>, <c>container</c>, <c>in-process</c>.</summary>
    public string? Runtime { get; init; }

    /// <summary>Set when a local stand-in runs in place of a container: why.</summary>
    public string? StandInReason { get; init; }

    /// <summary>The child process, when there is one.</summary>
    public int? ProcessId { get; init; }

    /// <summary>The container id, when there is one.</summary>
    public string? ContainerId { get; init; }

    /// <summary>The exit code once the process ended.</summary>
    public int? ExitCode { get; init; }

    /// <summary>When the current (or last) run started.</summary>
    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>When the last run ended.</summary>
    public DateTimeOffset? StoppedAt { get; init; }

    /// <summary>How many times the resource has been started.</summary>
    public int StartCount { get; init; }

    /// <summary>The resource's URLs once its endpoints are allocated.</summary>
    public ImmutableArray<ResourceUrl> Urls { get; init; } = [];

    /// <summary>The environment of the last start (secrets masked).</summary>
    public ImmutableArray<ResourceEnvironmentVariable> Environment { get; init; } = [];

    /// <summary>The resources this one waits for.</summary>
    public ImmutableArray<string> WaitsFor { get; init; } = [];

    /// <summary>The parent resource (a database's server).</summary>
    public string? Parent { get; init; }

    /// <summary>True when the resource starts only on request.</summary>
    public bool IsExplicitStart { get; init; }

    /// <summary>A sequence number, increasing with every published snapshot of any resource.</summary>
    public long Version { get; init; }

    /// <summary>When this snapshot was published.</summary>
    public DateTimeOffset Timestamp { get; init; }

    /// <summary>True for states in which the resource is not running and will not run without a request.</summary>
    public bool IsTerminal => State is ResourceState.Exited or ResourceState.Finished or ResourceState.FailedToStart;
}
