using MlOps.Hosting.Runtime;

namespace MlOps.AppHost;

/// <summary>The <c>mlflow</c> resource, at <c>Ports:mlflow</c> (5000). Container mode: the MLflow image with a PostgreSQL
/// driver (<c>deploy/mlflow</c>), or with <c>Mlflow:Server=tracking</c> our tracking server's image (same REST API, for
/// machines that cannot get MLflow's). Local mode: the MlOps.Tracking project.</summary>
internal static class Mlflow
{
    public static IResourceBuilder<IResourceWithEndpoints> AddMlflow(this IDistributedApplicationBuilder builder, RuntimeMode mode,
        AppHostSettings settings, MetadataDatabases databases)
    {
        var mlflow = !mode.UseContainers ? AddTrackingProject(builder, settings, databases)
            : settings.MlflowServer switch
            {
                "mlflow" => AddMlflowContainer(builder, settings, databases),
                "tracking" => AddTrackingContainer(builder, settings, databases),
                var other => throw new DistributedApplicationException($"Mlflow:Server must be 'mlflow' or 'tracking' (got '{other}')."),
            };
        return mlflow.WithUrlForEndpoint("http", url => url.DisplayText = "MLflow UI and REST API");
    }

    /// <summary>Links a run's training trace (tag <c>mlops.trace_id</c>) in the tracking UI to Aspire's dashboard while
    /// running; the dashboard's address is the AppHost's own (<c>applicationUrl</c> in launchSettings.json).</summary>
    private static IResourceBuilder<T> WithDashboardTraceLinks<T>(this IResourceBuilder<T> tracking)
        where T : IResourceWithEnvironment =>
        tracking.WithEnvironment(context =>
        {
            var urls = tracking.ApplicationBuilder.Configuration["ASPNETCORE_URLS"];
            if (context.ExecutionContext.IsRunMode && !string.IsNullOrWhiteSpace(urls))
            {
                context.EnvironmentVariables["TrackingUi__DashboardUrl"] = urls.Split(';')[0];
            }
        });

    private static IResourceBuilder<IResourceWithEndpoints> AddMlflowContainer(IDistributedApplicationBuilder builder, AppHostSettings settings,
        MetadataDatabases databases)
    {
        var backend = ((PostgresDatabaseResource)databases.Mlflow.Resource).UriExpression;
        return builder.AddDockerfile("mlflow", "../deploy/mlflow")
            .WithBuildArg("MLFLOW_IMAGE", settings.Images.Mlflow)
            .WithHttpEndpoint(port: settings.MlflowPort, targetPort: 5000)
            .WithVolume($"{settings.VolumePrefix}-mlflow-artifacts", "/mlartifacts")
            .WithArgs("mlflow", "server", "--host", "0.0.0.0", "--port", "5000", "--backend-store-uri", backend,
                "--artifacts-destination", "/mlartifacts", "--serve-artifacts")
            .WithHttpHealthCheck("/health")
            .WaitFor(databases.Mlflow);
    }

    private static IResourceBuilder<IResourceWithEndpoints> AddTrackingContainer(IDistributedApplicationBuilder builder, AppHostSettings settings,
        MetadataDatabases databases) =>
        builder.AddDockerfile("mlflow", "..", "MlOps.Tracking/Dockerfile")
            .WithDotnetBuild(settings)
            .WithHttpEndpoint(port: settings.MlflowPort, targetPort: 5000)
            .WithVolume($"{settings.VolumePrefix}-mlflow-artifacts", "/mlartifacts")
            .WithReference(databases.Tracking, connectionName: "tracking")
            .WithDashboardTraceLinks()
            .WithHttpHealthCheck("/health")
            .WaitFor(databases.Tracking);

    private static IResourceBuilder<IResourceWithEndpoints> AddTrackingProject(IDistributedApplicationBuilder builder, AppHostSettings settings,
        MetadataDatabases databases) =>
        builder.AddProject<Projects.MlOps_Tracking>("mlflow")
            .WithHttpEndpoint(port: settings.MlflowPort)
            .WithReference(databases.Tracking, connectionName: "tracking")
            .WithEnvironment("Tracking__ArtifactsRoot", settings.HostPath("mlartifacts"))
            .WithDashboardTraceLinks()
            .WithHttpHealthCheck("/health")
            .WaitFor(databases.Tracking);
}
