using MlOps.Hosting.ApplicationModel;

namespace MlOps.Hosting.Orchestration;

/// <summary>How the orchestrator runs a resource.</summary>
internal enum ResourceKind
{
    /// <summary>A project or an executable (possibly a container's local stand-in).</summary>
    Process,

    /// <summary>A PostgreSQL server from the local server binaries.</summary>
    Postgres,

    /// <summary>A container on the container engine (container mode).</summary>
    Container,

    /// <summary>A database created on its server.</summary>
    Database,

    /// <summary>A value; nothing runs.</summary>
    Parameter,

    /// <summary>Cannot run in this mode (see <see cref="ResourcePlan.UnsupportedReason"/>).</summary>
    Unsupported,
}

/// <summary>What running one declared resource means: in local mode the resource whose command, environment and
/// arguments are used (a container's stand-in, or itself) with the container's endpoints, health checks and waits;
/// in container mode containers (PostgreSQL included) run as themselves and their stand-ins are ignored.</summary>
internal sealed class ResourcePlan
{
    private ResourcePlan(IResource resource, IResource source, ResourceKind kind)
    {
        Resource = resource;
        Source = source;
        Kind = kind;
    }

    public IResource Resource { get; }

    public IResource Source { get; }

    public ResourceKind Kind { get; }

    public string Name => Resource.Name;

    public string ResourceType { get; private init; } = "";

    public string? StandInReason { get; private init; }

    public string? UnsupportedReason { get; private init; }

    public IReadOnlyList<EndpointAnnotation> Endpoints => Resource.Annotations.OfType<EndpointAnnotation>().ToArray();

    public IReadOnlyList<IResourceAnnotation> HealthChecks => HealthCheckSources()
        .SelectMany(r => r.Annotations.Where(a => a is HttpHealthCheckAnnotation or PostgresHealthCheckAnnotation)).ToArray();

    /// <summary>The waits: the resource's (a container's), its stand-in's, and a database's implicit wait for its server.</summary>
    public IReadOnlyList<WaitAnnotation> Waits => AnnotationSources().SelectMany(r => r.Annotations.OfType<WaitAnnotation>())
        .Concat(Resource is PostgresDatabaseResource database ? [new WaitAnnotation(database.Server, WaitType.WaitUntilHealthy)] : [])
        .ToArray();

    public bool IsExplicitStart => AnnotationSources().Any(r => r.Annotations.OfType<ExplicitStartupAnnotation>().Any());

    public IResource? Parent => (Resource as IResourceWithParent)?.Parent;

    /// <summary>Resources this one depends on: waits, parent and references (stopped after this one).</summary>
    public IEnumerable<string> Dependencies => Waits.Select(w => w.Resource.Name)
        .Concat(Parent is null ? [] : [Parent.Name])
        .Concat(AnnotationSources().SelectMany(r => r.Annotations.OfType<ResourceRelationshipAnnotation>()).Select(r => r.Resource.Name))
        .Where(n => n != Name)
        .Distinct(StringComparer.Ordinal);

    public static ResourcePlan Create(IResource resource) => Create(resource, containerMode: false);

    public static ResourcePlan Create(IResource resource, bool containerMode) => resource switch
    {
        PostgresServerResource when containerMode => new(resource, resource, ResourceKind.Container) { ResourceType = "Postgres" },
        ContainerResource when containerMode => new(resource, resource, ResourceKind.Container) { ResourceType = "Container" },
        ParameterResource => new(resource, resource, ResourceKind.Parameter) { ResourceType = "Parameter" },
        PostgresDatabaseResource => new(resource, resource, ResourceKind.Database) { ResourceType = "PostgresDatabase" },
        PostgresServerResource => new(resource, resource, ResourceKind.Postgres) { ResourceType = "Postgres" },
        ContainerResource when resource.Annotations.OfType<LocalStandInAnnotation>().LastOrDefault() is { } standIn =>
            new(resource, standIn.StandIn, ResourceKind.Process) { ResourceType = "Container", StandInReason = standIn.Reason },
        ContainerResource => new(resource, resource, ResourceKind.Unsupported)
        {
            ResourceType = "Container",
            UnsupportedReason = "container resources need a container engine (--runtime docker comes with container mode)",
        },
        ProjectResource => new(resource, resource, ResourceKind.Process) { ResourceType = "Project" },
        ExecutableResource => new(resource, resource, ResourceKind.Process) { ResourceType = "Executable" },
        _ => new(resource, resource, ResourceKind.Unsupported)
        {
            ResourceType = resource.GetType().Name.Replace("Resource", "", StringComparison.Ordinal),
            UnsupportedReason = $"resources of type {resource.GetType().Name} cannot run locally",
        },
    };

    private IEnumerable<IResource> AnnotationSources() =>
        ReferenceEquals(Source, Resource) ? [Resource] : [Resource, Source];

    private IEnumerable<IResource> HealthCheckSources() => AnnotationSources();
}
