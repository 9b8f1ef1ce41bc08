using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Logging;
using YamlDotNet.RepresentationModel;

namespace MlOps.Hosting.Compose;

/// <summary>The files of the compose export, by name: the compose file, <c>.env.example</c>, a database script per
/// PostgreSQL server with databases, and the GPU and build-secret overrides when the model needs them.</summary>
internal sealed class ComposeGenerator(DistributedApplicationModel model, DistributedApplicationExecutionContext executionContext, ILogger logger)
{
    public async Task<IReadOnlyList<KeyValuePair<string, string>>> GenerateAsync(string composeFile, CancellationToken cancellationToken)
    {
        var composeDirectory = Path.GetDirectoryName(composeFile)!;
        var services = model.Resources.Where(IsService).ToHashSet();
        var values = new ComposeValueResolver(services, cancellationToken);
        var build = new ComposeBuild(composeDirectory, values);
        var factory = new ComposeServiceFactory(executionContext, services, values, build, cancellationToken);
        var serviceNodes = new YamlMappingNode();
        var gpuNodes = new YamlMappingNode();
        var files = new List<KeyValuePair<string, string>>();
        foreach (var resource in model.Resources)
        {
            if (!services.Contains(resource))
            {
                WarnIfSkipped(resource);
                continue;
            }

            AddService(serviceNodes, ComposeNames.Service(resource), await factory.CreateAsync(resource).ConfigureAwait(false));
            if (resource is PostgresServerResource { Databases.Count: > 0 } server)
            {
                AddService(serviceNodes, ComposeNames.DatabasesService(server), await PostgresDatabasesService.CreateAsync(server, values).ConfigureAwait(false));
                files.Add(KeyValuePair.Create(ComposeNames.DatabasesScript(server), PostgresDatabasesService.Script(server)));
            }

            await AddGpuAsync(resource, gpuNodes, cancellationToken).ConfigureAwait(false);
        }

        var overrides = Overrides(gpuNodes, build);
        files.Insert(0, KeyValuePair.Create(Path.GetFileName(composeFile), ComposeYaml.Serialize(Root(serviceNodes, services), Header(overrides.Select(o => o.Key)))));
        files.AddRange(overrides);
        files.Add(KeyValuePair.Create(ComposeNames.EnvExampleFile, await ComposeEnvExample.CreateAsync(model.Resources.OfType<ParameterResource>().Concat(values.Parameters), cancellationToken).ConfigureAwait(false)));
        return files;
    }

    private static bool IsService(IResource resource) =>
        resource is ContainerResource or ProjectResource && !resource.IsExcludedFromPublish();

    private void WarnIfSkipped(IResource resource)
    {
        if (resource is ExecutableResource)
        {
            logger.LogWarning("'{Resource}' is an executable run on the host: the compose file has no service for it.", resource.Name);
        }
    }

    private static void AddService(YamlMappingNode services, string name, YamlMappingNode service)
    {
        if (services.Children.Keys.OfType<YamlScalarNode>().Any(k => k.Value == name))
        {
            throw new InvalidOperationException($"Two compose services would be named '{name}'; rename one of the resources.");
        }

        services.Add(ComposeYaml.Plain(name), service);
    }

    private async Task AddGpuAsync(IResource resource, YamlMappingNode gpuNodes, CancellationToken cancellationToken)
    {
        var runtimeArgs = await ResourceCallbacks.ContainerRuntimeArgsAsync(resource, cancellationToken).ConfigureAwait(false);
        if (ComposeGpu.Deploy(runtimeArgs) is { } deploy)
        {
            gpuNodes.Add(ComposeYaml.Plain(ComposeNames.Service(resource)), new YamlMappingNode(ComposeYaml.Plain("deploy"), deploy));
        }

        if (ComposeGpu.Others(runtimeArgs).ToList() is { Count: > 0 } others)
        {
            logger.LogWarning("The container runtime arguments of '{Resource}' have no compose form and were left out: {Args}", resource.Name, string.Join(' ', others));
        }
    }

    // Named volumes are declared once at the top level; services are the rest.
    private static YamlMappingNode Root(YamlMappingNode serviceNodes, IEnumerable<IResource> services)
    {
        var root = new YamlMappingNode(ComposeYaml.Plain("services"), serviceNodes);
        var volumes = services.SelectMany(r => r.Annotations.OfType<ContainerMountAnnotation>())
            .Where(m => m.Type == ContainerMountType.Volume && !string.IsNullOrEmpty(m.Source))
            .Select(m => m.Source!).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (volumes.Count > 0)
        {
            var node = new YamlMappingNode();
            foreach (var volume in volumes)
            {
                node.Add(ComposeYaml.Plain(volume), new YamlMappingNode());
            }

            root.Add("volumes", node);
        }

        return root;
    }

    private static List<KeyValuePair<string, string>> Overrides(YamlMappingNode gpuNodes, ComposeBuild build)
    {
        var overrides = new List<KeyValuePair<string, string>>();
        if (gpuNodes.Children.Count > 0)
        {
            overrides.Add(KeyValuePair.Create(ComposeNames.GpuFile, ComposeYaml.Serialize(new YamlMappingNode(ComposeYaml.Plain("services"), gpuNodes),
            [
                "NVIDIA GPU reservations, for a host with the NVIDIA Container Toolkit. Use it on top of the main file:",
                $"  docker-compose -f {ComposeNames.ComposeFile} -f {ComposeNames.GpuFile} --profile {ComposeNames.ExplicitStartProfile} up",
            ])));
        }

        if (build.SecretServices.Children.Count > 0)
        {
            var root = new YamlMappingNode(ComposeYaml.Plain("services"), build.SecretServices, ComposeYaml.Plain("secrets"), build.Secrets);
            overrides.Add(KeyValuePair.Create(ComposeNames.BuildSecretsFile, ComposeYaml.Serialize(root,
            [
                "BuildKit secrets of the image builds (Compose v2; Compose v1 has no build secrets: build with",
                "  docker build --secret id=<id>,src=<file> … and tag the image as compose names it, or run Compose v2):",
                $"  docker compose -f {ComposeNames.ComposeFile} -f {ComposeNames.BuildSecretsFile} build",
            ])));
        }

        return overrides;
    }

    private static IEnumerable<string> Header(IEnumerable<string> overrides)
    {
        yield return "Generated by the MlOps AppHost (--publisher compose). Edit the app model, not this file.";
        yield return $"Variables come from .env next to this file: copy {ComposeNames.EnvExampleFile} to .env and fill it in; never commit .env.";
        yield return $"On-demand resources are in the '{ComposeNames.ExplicitStartProfile}' profile: docker-compose --profile {ComposeNames.ExplicitStartProfile} up <name>.";
        foreach (var file in overrides)
        {
            yield return $"Overrides beside this file: -f {ComposeNames.ComposeFile} -f {file} (see its header).";
        }
    }
}
