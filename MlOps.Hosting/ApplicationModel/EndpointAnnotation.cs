namespace MlOps.Hosting.ApplicationModel;

/// <summary>A network endpoint of a resource (Aspire's <c>bindings</c> in the manifest).</summary>
public sealed class EndpointAnnotation : IResourceAnnotation
{
    /// <summary>Creates an endpoint; <paramref name="uriScheme"/> is <c>http</c>, <c>https</c> or <c>tcp</c>.</summary>
    public EndpointAnnotation(string name, string uriScheme, int? port = null, int? targetPort = null, bool isExternal = false)
    {
        ResourceNameRules.ThrowIfInvalid(name);
        Name = name;
        UriScheme = uriScheme;
        Port = port;
        TargetPort = targetPort;
        IsExternal = isExternal;
    }

    /// <summary>The endpoint name, unique per resource (<c>http</c>, <c>tcp</c>…).</summary>
    public string Name { get; }

    /// <summary><c>http</c>, <c>https</c> or <c>tcp</c>.</summary>
    public string UriScheme { get; }

    /// <summary>The transport written to the manifest: <c>http</c> for HTTP endpoints, otherwise <c>tcp</c>.</summary>
    public string Transport => UriScheme is "http" or "https" ? "http" : "tcp";

    /// <summary>The host port; null means a free one is chosen at start.</summary>
    public int? Port { get; set; }

    /// <summary>The port the process or container listens on; null means the same as the host port.</summary>
    public int? TargetPort { get; set; }

    /// <summary>True when the endpoint is reachable from outside the machine (bound to all interfaces).</summary>
    public bool IsExternal { get; set; }

    /// <summary>For projects: the environment variable that tells the process which port to listen on (null for ASP.NET Core's URLs).</summary>
    public string? TargetPortEnvironmentVariable { get; set; }

    /// <summary>The address and port chosen at start; null until the orchestrator allocates it.</summary>
    public AllocatedEndpoint? AllocatedEndpoint { get; set; }
}

/// <summary>Where an endpoint actually listens once its resource starts.</summary>
/// <param name="Host">The host name processes on this machine use (<c>localhost</c>).</param>
/// <param name="Port">The published port.</param>
/// <param name="ContainerHost">The name containers on the AppHost network use, when the resource is a container.</param>
/// <param name="ContainerPort">The port inside that network.</param>
public sealed record AllocatedEndpoint(string Host, int Port, string? ContainerHost = null, int? ContainerPort = null);

/// <summary>The parts of an endpoint an expression can refer to.</summary>
public enum EndpointProperty
{
    /// <summary><c>scheme://host:port</c>.</summary>
    Url,

    /// <summary>The host name.</summary>
    Host,

    /// <summary>The port.</summary>
    Port,

    /// <summary>The port the resource listens on inside its container or process.</summary>
    TargetPort,

    /// <summary><c>host:port</c>.</summary>
    HostAndPort,

    /// <summary>The URI scheme.</summary>
    Scheme,
}
