using System.Collections.Immutable;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MlOps.Hosting.ApplicationModel;
using MlOps.Hosting.Orchestration.Runtime;
using MlOps.Hosting.Orchestration.Runtime.Docker;

namespace MlOps.Hosting.Orchestration;

internal sealed partial class ApplicationOrchestrator
{
    private DockerContainerRuntime? _containers;

    /// <summary>Chooses local or container mode (<c>--runtime</c>), says which and why, and prepares the engine.</summary>
    private async Task SelectRuntimeAsync(CancellationToken cancellationToken)
    {
        _runtime = services.GetRequiredKeyedService<IResourceRuntime>("local");
        switch (options.Runtime)
        {
            case "local":
                logger.LogInformation("Runtime: local processes (--runtime local).");
                return;
            case "auto" or "docker":
                break;
            default:
                throw new DistributedApplicationException($"Unknown runtime '{options.Runtime}': use auto, local or docker.");
        }

        var cli = DockerCli.Find(options.ContainerCli);
        var (ok, reason) = cli is null
            ? (false, "no docker or podman on PATH")
            : await DockerContainerRuntime.ProbeEngineAsync(cli, options.EngineProbeTimeout, cancellationToken).ConfigureAwait(false);
        if (!ok)
        {
            if (options.Runtime == "docker")
            {
                throw new DistributedApplicationException($"--runtime docker: no container engine answers ({reason}). Start Docker or Podman, or use --runtime local.");
            }

            logger.LogInformation("Runtime: local processes (--runtime auto: no container engine answers: {Reason}).", reason);
            return;
        }

        logger.LogInformation("Runtime: containers on {Engine} (--runtime {Mode}); projects run as processes.", reason, options.Runtime);
        _containers = new DockerContainerRuntime(cli!, _runtime, options, model, logger);
        await _containers.InitializeAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Container endpoints: published on the host's port, reached by resource name and target port in the network.</summary>
    private static void AllocateContainerEndpoints(IEnumerable<ResourcePlan> plans)
    {
        foreach (var plan in plans.Where(p => p.Kind == ResourceKind.Container))
        {
            foreach (var endpoint in plan.Endpoints)
            {
                var allocated = endpoint.AllocatedEndpoint!;
                endpoint.AllocatedEndpoint = allocated with { ContainerHost = plan.Name, ContainerPort = endpoint.TargetPort ?? allocated.Port };
            }
        }
    }

    private async Task<IResourceProcess> StartContainerAsync(ResourcePlan plan, CancellationToken cancellationToken)
    {
        var containers = _containers!;
        var spec = await BuildContainerSpecAsync(plan, cancellationToken).ConfigureAwait(false);
        var tag = spec.Image;
        spec = spec with { Image = await containers.PrepareImageAsync(spec, cancellationToken).ConfigureAwait(false) };
        logs.Write(plan.Name, $"Starting container {ContainerCommandLine.ContainerName(containers.AppHostId, plan.Name)} ({tag}) " +
            $"on network {containers.NetworkName}", isError: false);
        return await containers.StartAsync(spec, cancellationToken).ConfigureAwait(false);
    }

    private async Task<ContainerLaunchSpec> BuildContainerSpecAsync(ResourcePlan plan, CancellationToken cancellationToken)
    {
        if (EndpointAllocator.CheckAvailable(plan.Name, plan.Endpoints) is { } busy)
        {
            throw new DistributedApplicationException(busy);
        }

        var resource = plan.Resource;
        var image = resource.Annotations.OfType<ContainerImageAnnotation>().LastOrDefault()?.Reference
            ?? throw new DistributedApplicationException($"container '{plan.Name}' has no image");
        var environment = await resolver.ResolveEnvironmentAsync(plan, cancellationToken).ConfigureAwait(false);
        var args = await resolver.ResolveArgsAsync(plan, cancellationToken).ConfigureAwait(false);
        notifications.Update(plan.Name, s => s with
        {
            Urls = Urls(plan),
            Environment = [.. environment.Select(v => new ResourceEnvironmentVariable(v.Name, v.IsSecret ? SecretValues.Mask : v.Value, v.IsSecret))],
        });
        var name = plan.Name;
        void Output(string line, bool isError) => logs.Write(name, line, isError);
        return new ContainerLaunchSpec(name, image, await BuildOfAsync(plan, cancellationToken).ConfigureAwait(false),
            [.. args.Select(a => a.Value)],
            environment.ToDictionary(v => v.Name, v => v.Value, StringComparer.Ordinal),
            [.. plan.Endpoints.Select(e => new ContainerPort(e.AllocatedEndpoint!.Port, e.AllocatedEndpoint.ContainerPort ?? e.AllocatedEndpoint.Port, e.IsExternal))],
            [.. resource.Annotations.OfType<ContainerMountAnnotation>().Select(m => new ContainerMount(m.Source, m.Target, m.Type == ContainerMountType.Volume, m.IsReadOnly))],
            await RuntimeArgsAsync(plan, cancellationToken).ConfigureAwait(false),
            Output)
        {
            Entrypoint = resource.Annotations.OfType<ContainerEntrypointAnnotation>().LastOrDefault()?.Entrypoint,
        };
    }

    private static async Task<ContainerBuild?> BuildOfAsync(ResourcePlan plan, CancellationToken cancellationToken)
    {
        if (plan.Resource.Annotations.OfType<DockerfileBuildAnnotation>().LastOrDefault() is not { } build)
        {
            return null;
        }

        // Build arguments are used on the host, by the engine's builder.
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in build.BuildArguments)
        {
            values[key] = await LaunchValueResolver.ResolveAsync(value, ValueResolutionContext.Host, cancellationToken).ConfigureAwait(false);
        }

        return new ContainerBuild(build.ContextPath, build.DockerfilePath, values);
    }

    /// <summary>The <c>docker run</c> arguments; a GPU request is kept only when the host has a GPU (see <see cref="GpuDecision"/>).</summary>
    private async Task<ImmutableArray<string>> RuntimeArgsAsync(ResourcePlan plan, CancellationToken cancellationToken)
    {
        var values = new List<object>();
        foreach (var callback in plan.Resource.Annotations.OfType<ContainerRuntimeArgsCallbackAnnotation>())
        {
            await callback.Callback(values).ConfigureAwait(false);
        }

        var args = await LaunchValueResolver.ResolveAllAsync(plan, values, cancellationToken).ConfigureAwait(false);
        var probe = services.GetService<IGpuProbe>() ?? new SystemGpuProbe(_containers!.Cli);
        var decision = await GpuDecision.DecideAsync(plan.Name, args, _containers!.Cli.IsPodman, options.RequireGpu, probe, cancellationToken)
            .ConfigureAwait(false);
        if (decision.Failure is { } failure)
        {
            throw new DistributedApplicationException(failure);
        }

        if (decision.Message is { } message)
        {
            logs.Write(plan.Name, message, isError: false);
            logger.LogInformation("{Message}", message);
        }

        return [.. decision.RuntimeArgs];
    }
}
