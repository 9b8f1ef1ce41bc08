using MlOps.Hosting;
using MlOps.Hosting.ApplicationModel;

namespace MlOps.AppHost;

internal static class TrainingDataExtensions
{
    /// <summary>The training data at <c>/data</c>: the host folder when running (so users see and version the files),
    /// a named volume when published (deployment targets have no host folders).</summary>
    public static IResourceBuilder<ContainerResource> WithTrainingData(this IResourceBuilder<ContainerResource> container,
        DistributedApplicationBuilder builder, string hostFolder) =>
        builder.ExecutionContext.IsRunMode
            ? container.WithBindMount(hostFolder, "/data")
            : container.WithVolume($"{VolumeNames.Prefix(builder)}-training-data", "/data");
}
