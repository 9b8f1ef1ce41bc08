using System.Globalization;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using YamlDotNet.RepresentationModel;

namespace MlOps.Hosting.Compose;

/// <summary>One compose service for a container or project: <c>image|build, entrypoint, command, environment, ports,
/// volumes, depends_on, healthcheck, profiles</c>. Ports: an external endpoint is published on all interfaces (on its
/// target port when it has no fixed one), a fixed internal one on 127.0.0.1 only, any other stays inside the network.</summary>
internal sealed class ComposeServiceFactory(
    DistributedApplicationExecutionContext executionContext, IReadOnlySet<IResource> services, ComposeValueResolver values,
    ComposeBuild build, CancellationToken cancellationToken)
{
    public async Task<YamlMappingNode> CreateAsync(IResource resource)
    {
        var service = new YamlMappingNode();
        if (await build.CreateAsync(resource).ConfigureAwait(false) is { } buildNode)
        {
            service.Add("build", buildNode);
        }
        else if (resource.TryGetContainerImageName(out var image))
        {
            service.Add("image", ComposeYaml.Quoted(ComposeValueResolver.Escape(image!)));
        }
        else
        {
            throw new InvalidOperationException($"Container '{resource.Name}' has neither an image nor a Dockerfile.");
        }

        if (resource is ContainerResource { Entrypoint: { } entrypoint })
        {
            service.Add("entrypoint", ComposeYaml.FlowList([ComposeValueResolver.Escape(entrypoint)]));
        }

        await AddCommandAsync(resource, service).ConfigureAwait(false);
        await AddEnvironmentAsync(resource, service).ConfigureAwait(false);
        AddList(service, "ports", Ports(resource));
        AddList(service, "volumes", Volumes(resource));
        AddIfAny(service, "depends_on", ComposeDependencies.Create(resource, services));
        AddIfAny(service, "healthcheck", ComposeHealthCheck.Create(resource));
        if (ComposeDependencies.IsOnDemand(resource))
        {
            service.Add("profiles", ComposeYaml.FlowList([ComposeNames.ExplicitStartProfile]));
        }

        return service;
    }

    private async Task AddCommandAsync(IResource resource, YamlMappingNode service)
    {
        var command = new List<string>();
        foreach (var arg in await ResourceCallbacks.ArgsAsync(resource, executionContext, cancellationToken).ConfigureAwait(false))
        {
            command.Add(await values.ResolveAsync(arg).ConfigureAwait(false));
        }

        AddList(service, "command", command, flow: true);
    }

    private async Task AddEnvironmentAsync(IResource resource, YamlMappingNode service)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in await ResourceCallbacks.EnvironmentAsync(resource, executionContext, cancellationToken).ConfigureAwait(false))
        {
            environment[name] = await values.ResolveAsync(value).ConfigureAwait(false);
        }

        if (resource is ProjectResource && HttpPorts(resource) is { Length: > 0 } ports)
        {
            // The .NET base images listen on 8080 unless told otherwise; say which ports the endpoints map to.
            environment.TryAdd("ASPNETCORE_HTTP_PORTS", ports);
        }

        if (environment.Count > 0)
        {
            service.Add("environment", ComposeYaml.QuotedMap(environment));
        }
    }

    private static string HttpPorts(IResource resource) => string.Join(';', resource.Annotations.OfType<EndpointAnnotation>()
        .Where(e => e.UriScheme == "http")
        .Select(e => ComposeValueResolver.ContainerPort(resource, e).ToString(CultureInfo.InvariantCulture))
        .Distinct());

    private static IEnumerable<string> Ports(IResource resource)
    {
        foreach (var endpoint in resource.Annotations.OfType<EndpointAnnotation>())
        {
            var target = ComposeValueResolver.ContainerPort(resource, endpoint);
            if (endpoint.IsExternal)
            {
                yield return string.Create(CultureInfo.InvariantCulture, $"{endpoint.Port ?? target}:{target}");
            }
            else if (endpoint.Port is int port)
            {
                yield return string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{port}:{target}");
            }
        }
    }

    private IEnumerable<string> Volumes(IResource resource) => resource.Annotations.OfType<ContainerMountAnnotation>().Select(mount =>
    {
        var readOnly = mount.IsReadOnly ? ":ro" : string.Empty;
        var source = mount.Type == ContainerMountType.BindMount ? ComposeOutput.Relative(build.ComposeDirectory, mount.Source!) : mount.Source;
        return ComposeValueResolver.Escape(source is null ? mount.Target + readOnly : $"{source}:{mount.Target}{readOnly}");
    });

    private static void AddList(YamlMappingNode service, string key, IEnumerable<string> items, bool flow = false)
    {
        var list = items.ToList();
        if (list.Count > 0)
        {
            service.Add(key, flow ? ComposeYaml.FlowList(list) : ComposeYaml.QuotedList(list));
        }
    }

    private static void AddIfAny(YamlMappingNode service, string key, YamlNode? node)
    {
        if (node is not null)
        {
            service.Add(key, node);
        }
    }
}
