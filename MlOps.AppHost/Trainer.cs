namespace MlOps.AppHost;

internal static class Trainer
{
    /// <summary>The trainer's image (<c>MlOps.Trainer/Dockerfile</c>) with the training data at <c>/data</c>: the host's
    /// data folder while running (users see and version the files), a named volume when published.</summary>
    public static IResourceBuilder<ContainerResource> AddTrainerImage(this IDistributedApplicationBuilder builder, string name, AppHostSettings settings)
    {
        var container = builder.AddDockerfile(name, "..", "MlOps.Trainer/Dockerfile").WithDotnetBuild(settings);
        if (!builder.ExecutionContext.IsRunMode)
        {
            return container.WithVolume($"{settings.VolumePrefix}-training-data", "/data");
        }

        var hostFolder = settings.HostPath("data");
        builder.Eventing.Subscribe<BeforeResourceStartedEvent>(container.Resource, (_, _) =>
        {
            // The image runs as its app user (uid 1654), not as the owner of the host folder: it must be able to write.
            Directory.CreateDirectory(hostFolder);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(hostFolder, (UnixFileMode)0b111_111_111);
            }

            return Task.CompletedTask;
        });
        return container.WithBindMount(hostFolder, "/data");
    }
}
