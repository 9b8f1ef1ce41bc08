namespace MlOps.Hosting.ApplicationModel;

/// <summary>How a resource waits for another.</summary>
public enum WaitType
{
    /// <summary>Until the dependency is running and healthy.</summary>
    WaitUntilHealthy,

    /// <summary>Until the dependency has finished with the expected exit code.</summary>
    WaitForCompletion,
}

/// <summary>The resource starts only once <see cref="Resource"/> is ready (run time only).</summary>
public sealed class WaitAnnotation(IResource resource, WaitType waitType, int exitCode = 0) : IResourceAnnotation
{
    /// <summary>The dependency.</summary>
    public IResource Resource { get; } = resource;

    /// <summary>What "ready" means.</summary>
    public WaitType WaitType { get; } = waitType;

    /// <summary>For <see cref="WaitType.WaitForCompletion"/>: the exit code that counts as success.</summary>
    public int ExitCode { get; } = exitCode;
}

/// <summary>The resource is not started with the application, only on request (a run-to-completion job).</summary>
public sealed class ExplicitStartupAnnotation : IResourceAnnotation;

/// <summary>An HTTP health check: healthy while <see cref="Path"/> on the endpoint answers <see cref="StatusCode"/>.</summary>
public sealed class HttpHealthCheckAnnotation(string path, string endpointName, int statusCode = 200) : IResourceAnnotation
{
    /// <summary>The path probed, such as <c>/health</c>.</summary>
    public string Path { get; } = path;

    /// <summary>The endpoint probed.</summary>
    public string EndpointName { get; } = endpointName;

    /// <summary>The expected status code.</summary>
    public int StatusCode { get; } = statusCode;
}

/// <summary>The resource is healthy once a PostgreSQL connection with its connection string opens.</summary>
public sealed class PostgresHealthCheckAnnotation : IResourceAnnotation;

/// <summary>A resource other than a container is run in place of a container in local mode (MLflow → an embedded
/// tracking server). The stand-in takes the container's name and endpoints; its own annotations configure it.</summary>
public sealed class LocalStandInAnnotation(IResource standIn, string reason) : IResourceAnnotation
{
    /// <summary>The resource run instead (never part of the published model).</summary>
    public IResource StandIn { get; } = standIn;

    /// <summary>Why the stand-in exists, shown on the console when it is used.</summary>
    public string Reason { get; } = reason;
}

/// <summary>A parent–child or reference relationship, shown in the dashboard.</summary>
public sealed class ResourceRelationshipAnnotation(IResource resource, string type) : IResourceAnnotation
{
    /// <summary>The other resource.</summary>
    public IResource Resource { get; } = resource;

    /// <summary><c>Parent</c> or <c>Reference</c>.</summary>
    public string Type { get; } = type;
}
