using Microsoft.Extensions.Configuration;
using MlOps.Hosting;
using MlOps.Hosting.ApplicationModel;

namespace MlOps.AppHost;

/// <summary>The <c>mlflow</c> resource. <c>Mlflow:Server=mlflow</c> (default): the MLflow image with a PostgreSQL driver.
/// <c>Mlflow:Server=tracking</c>: a container built from <c>MlOps.Tracking/Dockerfile</c>, the same REST API, for machines
/// that cannot get the MLflow image. Without a container engine either way runs the MlOps.Tracking project.</summary>
internal static class MlflowServer
{
    public static IResourceBuilder<ContainerResource> AddMlflow(this DistributedApplicationBuilder builder, ImageSettings images,
        IResourceBuilder<PostgresServerResource> postgres, IResourceBuilder<PostgresDatabaseResource> mlflowDb,
        IResourceBuilder<PostgresDatabaseResource> trackingDb)
    {
        var port = builder.Configuration.GetValue("Ports:mlflow", 5000);
        var artifacts = $"{VolumeNames.Prefix(builder)}-mlflow-artifacts";
        var server = builder.Configuration["Mlflow:Server"] ?? "mlflow";
        var mlflow = server switch
        {
            "mlflow" => builder.AddDockerfile("mlflow", "../deploy/mlflow")
                .WithBuildArg("MLFLOW_IMAGE", images.Mlflow.Reference)
                .WithHttpEndpoint(port: port, targetPort: 5000)
                .WithVolume(artifacts, "/mlartifacts")
                .WithArgs("mlflow", "server", "--host", "0.0.0.0", "--port", "5000",
                    "--backend-store-uri", Expressions.PostgresUri(postgres, mlflowDb.Resource),
                    "--artifacts-destination", "/mlartifacts", "--serve-artifacts")
                .WaitFor(mlflowDb),
            "tracking" => builder.AddDockerfile("mlflow", "..", "MlOps.Tracking/Dockerfile")
                .WithDotnetImages(images)
                .WithHttpEndpoint(port: port, targetPort: 5000)
                .WithVolume(artifacts, "/mlartifacts")
                .WithReference(trackingDb, connectionName: "tracking")
                .WaitFor(trackingDb),
            _ => throw new DistributedApplicationException($"Mlflow:Server must be 'mlflow' or 'tracking' (got '{server}')."),
        };
        return mlflow
            .WithHttpHealthCheck("/health")
            .WithLocalProject("../MlOps.Tracking/MlOps.Tracking.csproj", "no container engine: MlOps.Tracking speaks MLflow's REST API",
                tracking => tracking
                    .WithReference(trackingDb, connectionName: "tracking")
                    .WithEnvironment("Tracking__ArtifactsRoot", Path.Combine(builder.DataDirectory, "mlartifacts"))
                    .WaitFor(trackingDb));
    }
}

/// <summary>Named volumes are prefixed with <c>AppHost:Name</c> (default <c>mlops</c>), so two AppHosts on one engine
/// (tests, two checkouts) keep separate data.</summary>
internal static class VolumeNames
{
    public static string Prefix(DistributedApplicationBuilder builder) => builder.Configuration["AppHost:Name"] ?? "mlops";
}
