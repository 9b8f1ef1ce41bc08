namespace MlOps.Hosting.ApplicationModel;

/// <summary>The image a container runs: <c>[registry/]image:tag</c>.</summary>
public sealed class ContainerImageAnnotation(string image, string tag = "latest", string? registry = null) : IResourceAnnotation
{
    /// <summary>The image name (may include a registry, which is then used as is).</summary>
    public string Image { get; set; } = image;

    /// <summary>The tag.</summary>
    public string Tag { get; set; } = tag;

    /// <summary>The registry, when separate from <see cref="Image"/>.</summary>
    public string? Registry { get; set; } = registry;

    /// <summary>The full reference: <c>registry/image:tag</c>.</summary>
    public string Reference => $"{(Registry is null ? string.Empty : Registry + "/")}{Image}:{Tag}";
}

/// <summary>The container's image is built from a Dockerfile before it starts.</summary>
public sealed class DockerfileBuildAnnotation(string contextPath, string dockerfilePath) : IResourceAnnotation
{
    /// <summary>The absolute build context.</summary>
    public string ContextPath { get; } = contextPath;

    /// <summary>The absolute path of the Dockerfile.</summary>
    public string DockerfilePath { get; } = dockerfilePath;

    /// <summary>Build arguments (string or provider values).</summary>
    public Dictionary<string, object> BuildArguments { get; } = new(StringComparer.Ordinal);
}

/// <summary>How a mount attaches to a container.</summary>
public enum ContainerMountType
{
    /// <summary>A named volume kept by the engine.</summary>
    Volume,

    /// <summary>A host folder.</summary>
    BindMount,
}

/// <summary>A volume or bind mount of a container.</summary>
/// <param name="Source">The volume name or the absolute host path.</param>
/// <param name="Target">The path inside the container.</param>
/// <param name="Type">Volume or bind mount.</param>
/// <param name="IsReadOnly">True for a read-only mount.</param>
public sealed record ContainerMountAnnotation(string Source, string Target, ContainerMountType Type, bool IsReadOnly = false) : IResourceAnnotation;

/// <summary>Overrides the image's entrypoint.</summary>
public sealed class ContainerEntrypointAnnotation(string entrypoint) : IResourceAnnotation
{
    /// <summary>The entrypoint.</summary>
    public string Entrypoint { get; } = entrypoint;
}
