namespace MlOps.Hosting.Orchestration.Runtime.Docker;

/// <summary>A published port: <c>127.0.0.1:HostPort → TargetPort</c>, or all interfaces when external.</summary>
internal sealed record ContainerPort(int HostPort, int TargetPort, bool IsExternal);

/// <summary>A mount: a named volume or a host folder.</summary>
internal sealed record ContainerMount(string Source, string Target, bool IsVolume, bool IsReadOnly);

/// <summary>An image built from a Dockerfile before the container starts; build arguments fully resolved.</summary>
internal sealed record ContainerBuild(string ContextPath, string DockerfilePath, IReadOnlyDictionary<string, string> BuildArgs);

/// <summary>One container to run, fully resolved: no late values left.</summary>
internal sealed record ContainerLaunchSpec(
    string ResourceName,
    string Image,
    ContainerBuild? Build,
    IReadOnlyList<string> Args,
    IReadOnlyDictionary<string, string> Environment,
    IReadOnlyList<ContainerPort> Ports,
    IReadOnlyList<ContainerMount> Mounts,
    IReadOnlyList<string> RuntimeArgs,
    Action<string, bool> Output)
{
    /// <summary>Overrides the image's entrypoint.</summary>
    public string? Entrypoint { get; init; }
}
