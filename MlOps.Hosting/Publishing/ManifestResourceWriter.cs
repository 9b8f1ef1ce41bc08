using System.Text.Json;
using MlOps.Hosting.ApplicationModel;

namespace MlOps.Hosting.Publishing;

/// <summary>Writes one resource entry of the manifest, with Aspire's field names and order:
/// <c>type, connectionString, image|build|path, entrypoint, args, bindMounts, volumes, env, bindings</c>.</summary>
internal sealed class ManifestResourceWriter(Utf8JsonWriter writer, DistributedApplicationExecutionContext executionContext, string manifestDirectory)
{
    // Aspire 8 gives every project these, so that OTLP export keeps exception and event attributes, retries in memory,
    // and forwarded headers behind the deployment's ingress are honoured.
    private static readonly KeyValuePair<string, object>[] s_projectEnvironment =
    [
        new("OTEL_DOTNET_EXPERIMENTAL_OTLP_EMIT_EXCEPTION_LOG_ATTRIBUTES", "true"),
        new("OTEL_DOTNET_EXPERIMENTAL_OTLP_EMIT_EVENT_LOG_ATTRIBUTES", "true"),
        new("OTEL_DOTNET_EXPERIMENTAL_OTLP_RETRY", "in_memory"),
        new("ASPNETCORE_FORWARDEDHEADERS_ENABLED", "true"),
    ];

    private readonly ManifestBindingsWriter _bindings = new(writer);

    public async Task WriteAsync(IResource resource, CancellationToken cancellationToken)
    {
        writer.WriteStartObject(resource.Name);
        switch (resource)
        {
            case ContainerResource container:
                await WriteContainerAsync(container, cancellationToken).ConfigureAwait(false);
                break;
            case ProjectResource project:
                writer.WriteString("type", "project.v0");
                writer.WriteString("path", Relative(project.ProjectPath));
                await WriteArgsAndEnvironmentAsync(project, s_projectEnvironment, cancellationToken).ConfigureAwait(false);
                _bindings.Write(project);
                break;
            case ExecutableResource executable:
                writer.WriteString("type", "executable.v0");
                writer.WriteString("workingDirectory", Relative(executable.WorkingDirectory));
                writer.WriteString("command", executable.Command);
                await WriteArgsAndEnvironmentAsync(executable, [], cancellationToken).ConfigureAwait(false);
                _bindings.Write(executable);
                break;
            case ParameterResource parameter:
                WriteParameter(parameter);
                break;
            case IResourceWithConnectionString withConnectionString:
                writer.WriteString("type", "value.v0");
                writer.WriteString("connectionString", withConnectionString.ConnectionStringExpression.ValueExpression);
                break;
            default:
                throw new DistributedApplicationException(
                    $"Resource '{resource.Name}' ({resource.GetType().Name}) has no manifest form.");
        }

        writer.WriteEndObject();
    }

    private async Task WriteContainerAsync(ContainerResource container, CancellationToken cancellationToken)
    {
        var build = container.Annotations.OfType<DockerfileBuildAnnotation>().LastOrDefault();
        writer.WriteString("type", build is null ? "container.v0" : "container.v1");
        if (container is IResourceWithConnectionString withConnectionString)
        {
            writer.WriteString("connectionString", withConnectionString.ConnectionStringExpression.ValueExpression);
        }

        if (build is not null)
        {
            WriteBuild(build);
        }
        else
        {
            var image = container.Annotations.OfType<ContainerImageAnnotation>().LastOrDefault()
                ?? throw new DistributedApplicationException($"Container '{container.Name}' has neither an image nor a Dockerfile.");
            writer.WriteString("image", image.Reference);
        }

        if (container.Annotations.OfType<ContainerEntrypointAnnotation>().LastOrDefault() is { } entrypoint)
        {
            writer.WriteString("entrypoint", entrypoint.Entrypoint);
        }

        await WriteArgsAsync(container, cancellationToken).ConfigureAwait(false);
        WriteMounts(container);
        await WriteEnvironmentAsync(container, [], cancellationToken).ConfigureAwait(false);
        _bindings.Write(container);
    }

    private void WriteBuild(DockerfileBuildAnnotation build)
    {
        writer.WriteStartObject("build");
        writer.WriteString("context", Relative(build.ContextPath));
        writer.WriteString("dockerfile", Relative(build.DockerfilePath));
        if (build.BuildArguments.Count > 0)
        {
            writer.WriteStartObject("args");
            foreach (var (name, value) in build.BuildArguments)
            {
                writer.WriteString(name, ResourceValues.ManifestValue(value));
            }

            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }

    private void WriteMounts(ContainerResource container)
    {
        var mounts = container.Annotations.OfType<ContainerMountAnnotation>().ToList();
        WriteMountArray("bindMounts", "source", mounts.Where(m => m.Type == ContainerMountType.BindMount), m => Relative(m.Source));
        WriteMountArray("volumes", "name", mounts.Where(m => m.Type == ContainerMountType.Volume), m => m.Source);
    }

    private void WriteMountArray(string property, string sourceProperty, IEnumerable<ContainerMountAnnotation> mounts, Func<ContainerMountAnnotation, string> source)
    {
        var list = mounts.ToList();
        if (list.Count == 0)
        {
            return;
        }

        writer.WriteStartArray(property);
        foreach (var mount in list)
        {
            writer.WriteStartObject();
            writer.WriteString(sourceProperty, source(mount));
            writer.WriteString("target", mount.Target);
            writer.WriteBoolean("readOnly", mount.IsReadOnly);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    private async Task WriteArgsAndEnvironmentAsync(IResource resource, IEnumerable<KeyValuePair<string, object>> defaults, CancellationToken cancellationToken)
    {
        await WriteArgsAsync(resource, cancellationToken).ConfigureAwait(false);
        await WriteEnvironmentAsync(resource, defaults, cancellationToken).ConfigureAwait(false);
    }

    private async Task WriteArgsAsync(IResource resource, CancellationToken cancellationToken)
    {
        var args = await ResourceValues.GetArgsAsync(resource, executionContext, cancellationToken).ConfigureAwait(false);
        if (args.Count == 0)
        {
            return;
        }

        writer.WriteStartArray("args");
        foreach (var arg in args)
        {
            writer.WriteStringValue(ResourceValues.ManifestValue(arg));
        }

        writer.WriteEndArray();
    }

    private async Task WriteEnvironmentAsync(IResource resource, IEnumerable<KeyValuePair<string, object>> defaults, CancellationToken cancellationToken)
    {
        var env = new Dictionary<string, object>(defaults, StringComparer.Ordinal);
        foreach (var endpoint in resource.Annotations.OfType<EndpointAnnotation>().Where(e => e.TargetPortEnvironmentVariable is not null))
        {
            env[endpoint.TargetPortEnvironmentVariable!] = $"{{{resource.Name}.bindings.{endpoint.Name}.targetPort}}";
        }

        foreach (var (name, value) in await ResourceValues.GetEnvironmentAsync(resource, executionContext, cancellationToken).ConfigureAwait(false))
        {
            env[name] = value;
        }

        if (env.Count == 0)
        {
            return;
        }

        writer.WriteStartObject("env");
        foreach (var (name, value) in env)
        {
            writer.WriteString(name, ResourceValues.ManifestValue(value));
        }

        writer.WriteEndObject();
    }

    private void WriteParameter(ParameterResource parameter)
    {
        writer.WriteString("type", "parameter.v0");
        writer.WriteString("value", $"{{{parameter.Name}.inputs.value}}");
        writer.WriteStartObject("inputs");
        writer.WriteStartObject("value");
        writer.WriteString("type", "string");
        if (parameter.Secret)
        {
            writer.WriteBoolean("secret", true);
        }

        if (parameter.Generate is { } generate)
        {
            writer.WriteStartObject("default");
            writer.WriteStartObject("generate");
            writer.WriteNumber("minLength", generate.MinLength);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private string Relative(string path) => PublishingOutput.RelativePath(manifestDirectory, path);
}
