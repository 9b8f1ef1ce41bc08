namespace MlOps.AppHost;

internal static class Trainer
{
    /// <summary>The trainer's image (<c>MlOps.Trainer/Dockerfile</c>) with the training data at <c>/data</c>: the host's
    /// data folder while running (users see and version the files), a named volume when published.</summary>
    public static IResourceBuilder<ContainerResource> AddTrainerImage(this IDistributedApplicationBuilder builder, string name, AppHostSettings settings)
    {
        var container = builder.AddDockerfile(name, "..", "MlOps.Trainer/Dockerfile").WithDotnetBuild(settings);
        return builder.ExecutionContext.IsRunMode
            ? container.WithBindMount(settings.HostPath("data"), "/data")
            : container.WithVolume($"{settings.VolumePrefix}-training-data", "/data");
    }
}
