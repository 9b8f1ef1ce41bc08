using MlOps.Hosting.Runtime;

namespace MlOps.AppHost;

/// <summary>The databases on the <c>postgres</c> resource, whichever way it runs.</summary>
internal sealed record MetadataDatabases(
    IResourceBuilder<IResourceWithConnectionString> Tracking,
    IResourceBuilder<IResourceWithConnectionString> Mlflow,
    IResourceBuilder<IResourceWithConnectionString> Serving);

internal static class Postgres
{
    /// <summary><c>postgres</c> as Aspire's container with a named data volume, or (local mode) from the server binaries
    /// with its cluster under the data folder; same connection strings either way.</summary>
    public static MetadataDatabases AddMetadataPostgres(this IDistributedApplicationBuilder builder, RuntimeMode mode, AppHostSettings settings)
    {
        if (mode.UseContainers)
        {
            var container = builder.AddPostgres("postgres")
                .WithImage(settings.Images.Postgres)
                .WithImageRegistry(null)
                .WithDataVolume($"{settings.VolumePrefix}-postgres-data");
            return new(container.AddDatabase("trackingdb"), container.AddDatabase("mlflowdb"), container.AddDatabase("servingdb"));
        }

        var local = builder.AddLocalPostgres("postgres")
            .WithDataDirectory(settings.HostPath("postgres"))
            .WithBinDirectory(settings.PostgresBinDirectory);
        return new(local.AddDatabase("trackingdb"), local.AddDatabase("mlflowdb"), local.AddDatabase("servingdb"));
    }
}
