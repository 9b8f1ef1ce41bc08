using Microsoft.Extensions.Logging;
using MlOps.Hosting.ApplicationModel;

namespace MlOps.Hosting.Orchestration.Runtime.Docker;

/// <summary>Runs container resources on a Docker (or Podman) engine through its CLI: one network per AppHost where
/// containers find each other by resource name, labels that tie every container and network to the AppHost, images
/// built or pulled before start, and cleanup of everything it created on stop and, after a crash, on the next start
/// (named volumes are kept).</summary>
internal sealed class DockerContainerRuntime(DockerCli cli, IResourceRuntime processes, OrchestratorOptions options,
    DistributedApplicationModel model, ILogger logger)
{
    private bool? _buildKit;

    public DockerCli Cli => cli;

    public string AppHostId { get; } = ContainerCommandLine.AppHostId(model.AppHostDirectory, model.DataDirectory);

    public string NetworkName => ContainerCommandLine.NetworkName(AppHostId);

    /// <summary>True when <c>docker info</c> answers within <paramref name="timeout"/>; otherwise why not.</summary>
    public static async Task<(bool Ok, string Reason)> ProbeEngineAsync(DockerCli cli, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var result = await cli.RunAsync(["info", "--format", "{{.ServerVersion}}"], cancellationToken, timeout: timeout).ConfigureAwait(false);
        return result.ExitCode == 0 && result.Output.Count > 0 && result.Output[0].Trim().Length > 0
            ? (true, $"{Path.GetFileName(cli.Executable)} engine {result.Output[0].Trim()}")
            : (false, $"{Path.GetFileName(cli.Executable)} info: {result.LastError}");
    }

    /// <summary>Removes what a previous run of this AppHost left behind (a crash), then creates the network.</summary>
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        var removed = await RemoveLeftoversAsync(cancellationToken).ConfigureAwait(false);
        if (removed > 0)
        {
            logger.LogInformation("Removed {Count} container(s) and network(s) left by an earlier run of this AppHost.", removed);
        }

        await cli.RunCheckedAsync(["network", "create", "--label", $"{ContainerCommandLine.AppHostLabel}={AppHostId}", NetworkName], cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary>Removes every container and the network of this AppHost (volumes stay).</summary>
    public Task ShutdownAsync() => RemoveLeftoversAsync(CancellationToken.None);

    /// <summary>Builds the image (a Dockerfile resource) or pulls it when missing, with the output in the resource's log.
    /// Returns the image to run: a built image by its id, so that another AppHost building the same tag at the same time
    /// cannot swap it.</summary>
    public async Task<string> PrepareImageAsync(ContainerLaunchSpec spec, CancellationToken cancellationToken)
    {
        if (spec.Build is { } build)
        {
            return await BuildAsync(spec, build, cancellationToken).ConfigureAwait(false);
        }

        var inspect = await cli.RunAsync(["image", "inspect", "--format", "{{.Id}}", spec.Image], cancellationToken).ConfigureAwait(false);
        if (inspect.ExitCode == 0)
        {
            return spec.Image;
        }

        spec.Output($"Pulling image {spec.Image}", false);
        var pull = await cli.RunAsync(["pull", spec.Image], cancellationToken, spec.Output).ConfigureAwait(false);
        if (pull.ExitCode != 0)
        {
            throw new DistributedApplicationException($"image {spec.Image} is not on this machine and could not be pulled: {pull.LastError}");
        }

        return spec.Image;
    }

    private async Task<string> BuildAsync(ContainerLaunchSpec spec, ContainerBuild build, CancellationToken cancellationToken)
    {
        var buildKit = await BuildKitAsync(cancellationToken).ConfigureAwait(false);
        var environment = new Dictionary<string, string> { ["DOCKER_BUILDKIT"] = buildKit ? "1" : "0" };
        var idFile = Path.Combine(Path.GetTempPath(), $"mlops-image-{Guid.NewGuid():N}");
        spec.Output($"Building image {spec.Image} from {build.DockerfilePath}{(buildKit ? " (BuildKit)" : "")}", false);
        try
        {
            var args = ContainerCommandLine.Build(build, spec.Image, idFile, buildKit, cli.IsPodman, buildKit ? options.BuildSecrets : new Dictionary<string, string>());
            var result = await cli.RunAsync(args, cancellationToken, spec.Output, environment).ConfigureAwait(false);
            if (result.ExitCode != 0)
            {
                throw new DistributedApplicationException($"the image build failed with exit code {result.ExitCode} (the build log is in the console log)");
            }

            var id = File.Exists(idFile) ? (await File.ReadAllTextAsync(idFile, cancellationToken).ConfigureAwait(false)).Trim() : "";
            return id.Length > 0 ? id : spec.Image;
        }
        finally
        {
            File.Delete(idFile);
        }
    }

    /// <summary>Creates and starts the container (a container of the same name from an earlier start is replaced).</summary>
    public async Task<IResourceProcess> StartAsync(ContainerLaunchSpec spec, CancellationToken cancellationToken)
    {
        var name = ContainerCommandLine.ContainerName(AppHostId, spec.ResourceName);
        await cli.RunAsync(["rm", "--force", "--volumes", name], cancellationToken).ConfigureAwait(false);
        foreach (var mount in spec.Mounts.Where(m => !m.IsVolume))
        {
            Directory.CreateDirectory(mount.Source);
        }

        var args = ContainerCommandLine.Create(spec, AppHostId, BindMountUser(spec));
        var created = await cli.RunAsync(args, cancellationToken, environment: spec.Environment).ConfigureAwait(false);
        if (created.ExitCode != 0)
        {
            throw new DistributedApplicationException($"container {name} could not be created: {created.LastError}");
        }

        var id = created.Output.Last().Trim();
        return await DockerContainer.StartAsync(cli, processes, id, spec.ResourceName, spec.Output, cancellationToken).ConfigureAwait(false);
    }

    private async Task<int> RemoveLeftoversAsync(CancellationToken cancellationToken)
    {
        var filter = $"label={ContainerCommandLine.AppHostLabel}={AppHostId}";
        var containers = await cli.RunAsync(["ps", "--all", "--quiet", "--filter", filter], cancellationToken).ConfigureAwait(false);
        var ids = containers.Output.Where(l => l.Trim().Length > 0).ToArray();
        if (ids.Length > 0)
        {
            await cli.RunAsync(["rm", "--force", "--volumes", .. ids], cancellationToken).ConfigureAwait(false);
        }

        var networks = await cli.RunAsync(["network", "ls", "--quiet", "--filter", filter], cancellationToken).ConfigureAwait(false);
        var networkIds = networks.Output.Where(l => l.Trim().Length > 0).ToArray();
        if (networkIds.Length > 0)
        {
            await cli.RunAsync(["network", "rm", .. networkIds], cancellationToken).ConfigureAwait(false);
        }

        return ids.Length + networkIds.Length;
    }

    // BuildKit: Podman always (buildah); Docker with the buildx plugin, or a client older than 23 (BuildKit built in).
    private async Task<bool> BuildKitAsync(CancellationToken cancellationToken)
    {
        if (_buildKit is { } known)
        {
            return known;
        }

        if (cli.IsPodman)
        {
            // Podman builds with buildah, which knows RUN --mount and build secrets.
            return (_buildKit = true).Value;
        }

        var buildx = await cli.RunAsync(["buildx", "version"], cancellationToken, timeout: TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        var version = await cli.ClientVersionAsync(cancellationToken).ConfigureAwait(false);
        _buildKit = buildx.ExitCode == 0 || (version is not null && version.Major < 23);
        if (_buildKit == false)
        {
            logger.LogWarning("BuildKit is not available with {Cli} (client {Version}, no buildx plugin): building with the legacy builder, " +
                "which cannot run Dockerfiles with RUN --mount. Install the buildx plugin or set AppHost:ContainerCli.", cli.Executable, version);
        }

        return _buildKit.Value;
    }

    // Host folders are written as the AppHost's user (as dev containers do), so the files stay the user's own.
    private static string? BindMountUser(ContainerLaunchSpec spec) =>
        OperatingSystem.IsWindows() || !spec.Mounts.Any(m => !m.IsVolume && !m.IsReadOnly)
            ? null
            : HostUser.UserAndGroup;
}
