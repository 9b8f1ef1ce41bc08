namespace Aspire.Hosting.ApplicationModel;

/// <summary>A build argument for the image the compose export builds from a project's Dockerfile (a project has no
/// <see cref="DockerfileBuildAnnotation"/> of its own: Aspire runs it as a process and the manifest keeps it a project).</summary>
/// <param name="name">The <c>ARG</c> name.</param>
/// <param name="value">A string or a value provider (such as a parameter), resolved when the compose file is written.</param>
public sealed class ComposeBuildArgAnnotation(string name, object value) : IResourceAnnotation
{
    /// <summary>The <c>ARG</c> name.</summary>
    public string Name { get; } = name;

    /// <summary>The value: a string or a value provider.</summary>
    public object Value { get; } = value;
}
