using System.Globalization;
using MlOps.Hosting.ApplicationModel;

namespace MlOps.Hosting.Publishing;

/// <summary>Writes one compose service: <c>image|build, entrypoint, command, environment, ports, volumes, depends_on,
/// healthcheck, profiles, deploy</c>. Ports: a fixed, internal endpoint is published on 127.0.0.1 only; an external one
/// on all interfaces (its target port when it has no fixed one); any other stays inside the compose network.</summary>
internal sealed class ComposeServiceWriter(YamlWriter yaml, DistributedApplicationModel model, string composeDirectory)
{
    /// <summary>The profile explicit-start resources are put in.</summary>
    public const string ExplicitStartProfile = "train";

    public async Task WriteAsync(IResource resource, CancellationToken cancellationToken)
    {
        if (resource is not (ContainerResource or ProjectResource))
        {
            if (resource is ExecutableResource)
            {
                yaml.Comment($"'{resource.Name}' is an executable run on the host: it has no compose service.");
            }

            return;
        }

        using (yaml.Mapping(resource.Name))
        {
            WriteImageOrBuild(resource);
            if (resource.Annotations.OfType<ContainerEntrypointAnnotation>().LastOrDefault() is { } entrypoint)
            {
                yaml.FlowList("entrypoint", [ComposeExpressionResolver.EscapeLiteral(entrypoint.Entrypoint)]);
            }

            var args = await ResourceValues.GetArgsAsync(resource, model.ExecutionContext, cancellationToken).ConfigureAwait(false);
            if (args.Count > 0)
            {
                yaml.FlowList("command", args.Select(ComposeExpressionResolver.Resolve));
            }

            await WriteEnvironmentAsync(resource, cancellationToken).ConfigureAwait(false);
            WritePorts(resource);
            WriteVolumes(resource);
            WriteDependsOn(resource);
            ComposeHealthCheck.Write(yaml, resource);
            if (resource.Annotations.OfType<ExplicitStartupAnnotation>().Any())
            {
                yaml.FlowList("profiles", [ExplicitStartProfile]);
            }

            await WriteGpuAsync(resource, cancellationToken).ConfigureAwait(false);
        }
    }

    private void WriteImageOrBuild(IResource resource)
    {
        if (resource is ProjectResource project)
        {
            // Projects are built from <ProjectFolder>/Dockerfile with the solution folder as context, so the
            // Dockerfile can copy the projects it references.
            var projectDirectory = Path.GetDirectoryName(project.ProjectPath)!;
            var root = FindSolutionRoot(projectDirectory) ?? projectDirectory;
            WriteBuild(root, Path.Combine(projectDirectory, "Dockerfile"), new Dictionary<string, object>());
        }
        else if (resource.Annotations.OfType<DockerfileBuildAnnotation>().LastOrDefault() is { } build)
        {
            WriteBuild(build.ContextPath, build.DockerfilePath, build.BuildArguments);
        }
        else
        {
            var image = resource.Annotations.OfType<ContainerImageAnnotation>().LastOrDefault()
                ?? throw new DistributedApplicationException($"Container '{resource.Name}' has neither an image nor a Dockerfile.");
            yaml.Scalar("image", ComposeExpressionResolver.EscapeLiteral(image.Reference));
        }
    }

    private void WriteBuild(string context, string dockerfile, IReadOnlyDictionary<string, object> args)
    {
        using (yaml.Mapping("build"))
        {
            yaml.Scalar("context", Relative(composeDirectory, context));
            // compose resolves the Dockerfile against the context.
            yaml.Scalar("dockerfile", PublishingOutput.RelativePath(context, dockerfile));
            if (args.Count > 0)
            {
                using (yaml.Mapping("args"))
                {
                    foreach (var (name, value) in args)
                    {
                        yaml.Scalar(name, ComposeExpressionResolver.Resolve(value));
                    }
                }
            }
        }
    }

    private async Task WriteEnvironmentAsync(IResource resource, CancellationToken cancellationToken)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var endpoint in resource.Annotations.OfType<EndpointAnnotation>().Where(e => e.TargetPortEnvironmentVariable is not null))
        {
            env[endpoint.TargetPortEnvironmentVariable!] = ComposeExpressionResolver.ContainerPort(resource, endpoint).ToString(CultureInfo.InvariantCulture);
        }

        foreach (var (name, value) in await ResourceValues.GetEnvironmentAsync(resource, model.ExecutionContext, cancellationToken).ConfigureAwait(false))
        {
            env[name] = ComposeExpressionResolver.Resolve(value);
        }

        if (resource is ProjectResource)
        {
            // The .NET images listen on 8080 by default; tell the app the port its endpoint maps to.
            var http = resource.Annotations.OfType<EndpointAnnotation>().Where(e => e.UriScheme == "http")
                .Select(e => ComposeExpressionResolver.ContainerPort(resource, e).ToString(CultureInfo.InvariantCulture)).ToArray();
            if (http.Length > 0)
            {
                env.TryAdd("ASPNETCORE_HTTP_PORTS", string.Join(';', http));
            }
        }

        if (env.Count > 0)
        {
            using (yaml.Mapping("environment"))
            {
                foreach (var (name, value) in env)
                {
                    yaml.Scalar(name, value);
                }
            }
        }
    }

    private void WritePorts(IResource resource)
    {
        var ports = new List<string>();
        foreach (var endpoint in resource.Annotations.OfType<EndpointAnnotation>())
        {
            var target = ComposeExpressionResolver.ContainerPort(resource, endpoint);
            if (endpoint.IsExternal)
            {
                ports.Add(string.Create(CultureInfo.InvariantCulture, $"{endpoint.Port ?? target}:{target}"));
            }
            else if (endpoint.Port is int port)
            {
                ports.Add(string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{port}:{target}"));
            }
        }

        if (ports.Count > 0)
        {
            yaml.List("ports", ports);
        }
    }

    private void WriteVolumes(IResource resource)
    {
        var mounts = resource.Annotations.OfType<ContainerMountAnnotation>().Select(m =>
        {
            var source = m.Type == ContainerMountType.Volume ? m.Source : Relative(composeDirectory, m.Source);
            return ComposeExpressionResolver.EscapeLiteral($"{source}:{m.Target}{(m.IsReadOnly ? ":ro" : string.Empty)}");
        }).ToList();
        if (resource is PostgresServerResource { Databases.Count: > 0 } server)
        {
            // The image runs these scripts once, on an empty data volume: the databases the AppHost creates at run time.
            mounts.Add($"./{PostgresInitScript.FileName(server)}:/docker-entrypoint-initdb.d/{PostgresInitScript.FileName(server)}:ro");
        }

        if (mounts.Count > 0)
        {
            yaml.List("volumes", mounts);
        }
    }

    private void WriteDependsOn(IResource resource)
    {
        var dependencies = new Dictionary<string, string>(StringComparer.Ordinal);
        var onDemand = new List<string>();
        foreach (var wait in resource.Annotations.OfType<WaitAnnotation>())
        {
            var target = wait.Resource is PostgresDatabaseResource database ? database.Server : wait.Resource;
            if (target is not (ContainerResource or ProjectResource))
            {
                continue;
            }

            // A wait for an on-demand job (a service under a profile) is left out: Compose refuses a dependency on a
            // service of an inactive profile, and its way out, "required: false", needs Compose 2.20+ (1.x rejects it).
            if (target.Annotations.OfType<ExplicitStartupAnnotation>().Any())
            {
                onDemand.Add(target.Name);
                continue;
            }

            dependencies[target.Name] = wait.WaitType == WaitType.WaitForCompletion ? "service_completed_successfully"
                : ComposeHealthCheck.Has(target) ? "service_healthy" : "service_started";
        }

        foreach (var name in onDemand)
        {
            yaml.Comment($"waits for '{name}' when run by the AppHost; '{name}' runs on demand here (profile), so no depends_on");
        }

        if (dependencies.Count == 0)
        {
            return;
        }

        using (yaml.Mapping("depends_on"))
        {
            foreach (var (name, condition) in dependencies)
            {
                using (yaml.Mapping(name))
                {
                    yaml.Raw("condition", condition);
                }
            }
        }
    }

    private async Task WriteGpuAsync(IResource resource, CancellationToken cancellationToken)
    {
        var runtimeArgs = await ResourceValues.GetContainerRuntimeArgsAsync(resource, cancellationToken).ConfigureAwait(false);
        if (!runtimeArgs.Any(a => a == "--gpus" || a.StartsWith("--gpus=", StringComparison.Ordinal)))
        {
            return;
        }

        using (yaml.Mapping("deploy"))
        using (yaml.Mapping("resources"))
        using (yaml.Mapping("reservations"))
        using (yaml.Mapping("devices"))
        using (yaml.ListItem("driver", "nvidia"))
        {
            yaml.Raw("count", "all");
            yaml.Raw("capabilities", "[gpu]");
        }
    }

    // Relative to the compose folder, spelled the way compose expects a relative path (./x or ../x).
    private static string Relative(string baseDirectory, string path)
    {
        var relative = PublishingOutput.RelativePath(baseDirectory, path);
        return relative == "." || relative.StartsWith("../", StringComparison.Ordinal) || relative == ".." || Path.IsPathRooted(relative)
            ? relative
            : "./" + relative;
    }

    private static string? FindSolutionRoot(string directory)
    {
        for (var current = new DirectoryInfo(directory); current is not null; current = current.Parent)
        {
            if (current.EnumerateFiles("*.sln").Any() || current.EnumerateFiles("*.slnx").Any())
            {
                return current.FullName;
            }
        }

        return null;
    }
}
