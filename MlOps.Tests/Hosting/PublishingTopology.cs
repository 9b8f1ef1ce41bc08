using MlOps.Hosting;
using MlOps.Hosting.ApplicationModel;
using MlOps.Tests.Infrastructure;

namespace MlOps.Tests.Hosting;

/// <summary>A test-local topology that exercises every part of the publishers: postgres with two databases, a
/// container whose args and environment reference the database and parameters, a Dockerfile container with build
/// args, GPU and explicit start, and a project built from a real csproj of this repository.</summary>
internal static class PublishingTopology
{
    /// <summary>The repository root (the folder holding MlOps.sln), found from the test assembly's folder.</summary>
    public static string RepoRoot { get; } = AppHostProcess.RepositoryRoot;

    /// <summary>Lays out <paramref name="temp"/> as <c>repo</c> (a symbolic link to the real repository),
    /// <c>apphost</c> and <c>data</c>, so paths in the output are the same on every machine
    /// (<c>../repo/MlOps.Serving/MlOps.Serving.csproj</c>) while the csproj is the real one. TempDirectory's recursive
    /// delete removes the link itself, never the repository behind it.</summary>
    public static (string Repo, string AppHost, string Data) Layout(TempDirectory temp)
    {
        var repo = temp.File("repo");
        if (!Directory.Exists(repo))
        {
            Directory.CreateSymbolicLink(repo, RepoRoot);
        }

        var appHost = Directory.CreateDirectory(temp.File("apphost")).FullName;
        var data = temp.File("data");
        return (repo, appHost, data);
    }

    /// <summary>A builder for <paramref name="publisher"/> writing to <paramref name="outputPath"/>.</summary>
    public static DistributedApplicationBuilder CreateBuilder(TempDirectory temp, string publisher, string outputPath, params string[] extraArgs)
    {
        var (_, appHost, data) = Layout(temp);
        string[] args = ["--publisher", publisher, "--output-path", outputPath, "--data-dir", data, "--Parameters:model-name=fraud-detector", .. extraArgs];
        return DistributedApplication.CreateBuilder(args, appHost);
    }

    /// <summary>Adds the topology to <paramref name="builder"/>; fluent calls are deliberately out of order
    /// (references before the endpoints they name) to show that nothing is resolved early.</summary>
    public static void AddResources(DistributedApplicationBuilder builder, string repo)
    {
        var apiKey = builder.AddParameter("api-key", secret: true);
        var modelName = builder.AddParameter("model-name");
        var postgres = builder.AddPostgres("postgres").WithDataVolume();
        var trackingDb = postgres.AddDatabase("trackingdb");
        postgres.AddDatabase("features-db", "features");

        var mlflow = builder.AddContainer("mlflow", "ghcr.io/mlflow/mlflow", "v2.21.3");
        var pg = postgres.Resource.PrimaryEndpoint;
        var backendStore = ReferenceExpression.Create(
            $"postgresql://postgres:{postgres.Resource.PasswordParameter}@{pg.Property(EndpointProperty.Host)}:{pg.Property(EndpointProperty.Port)}/trackingdb");
        mlflow
            .WithArgs("server", "--host", "0.0.0.0", "--port", mlflow.GetEndpoint("http").Property(EndpointProperty.TargetPort))
            .WithArgs(ctx => ctx.Args.AddRange(["--backend-store-uri", backendStore]))
            .WithBindMount("artifacts", "/mlartifacts")
            .WithReference(trackingDb)
            .WithEnvironment("MLFLOW_AUTH_KEY", apiKey)
            .WithHttpEndpoint(port: 5050, targetPort: 5000)
            .WithHttpHealthCheck("/health")
            .WaitFor(trackingDb)
            .WithLocalProject(Path.Combine(repo, "MlOps.Tracking", "MlOps.Tracking.csproj"), "no container engine");

        var trackingUri = ReferenceExpression.Create($"{mlflow.GetEndpoint("http")}");
        var trainer = builder.AddDockerfile("trainer", repo, "MlOps.Trainer/Dockerfile")
            .WithBuildArg("CONFIGURATION", "Release")
            .WithBuildArg("MODEL_NAME", modelName.Resource)
            .WithEnvironment("MLFLOW_TRACKING_URI", trackingUri)
            .WithEnvironment("MLFLOW_EXPERIMENT_URL", ReferenceExpression.Create($"{trackingUri}/#/experiments?name={modelName.Resource}"))
            .WithContainerRuntimeArgs("--gpus", "all")
            .WithExplicitStart()
            .WaitFor(mlflow);

        builder.AddProject("serving", Path.Combine(repo, "MlOps.Serving", "MlOps.Serving.csproj"))
            .WithHttpEndpoint(port: 8080, isExternal: true)
            .WithHttpHealthCheck("/health")
            .WithReference(mlflow.GetEndpoint("http"))
            .WithEnvironment("MLFLOW_TRACKING_URI", trackingUri)
            .WithEnvironment("MODEL_URI", "models:/fraud-detector@production")
            .WithEnvironment("SERVING_ADMIN_KEY", apiKey)
            .WaitFor(mlflow)
            .WaitForCompletion(trainer);
    }

    /// <summary>Builds the topology for <paramref name="publisher"/> and runs it (which publishes and returns).</summary>
    public static async Task PublishAsync(TempDirectory temp, string publisher, string outputPath, params string[] extraArgs)
    {
        var builder = CreateBuilder(temp, publisher, outputPath, extraArgs);
        AddResources(builder, Layout(temp).Repo);
        await using var app = builder.Build();
        await app.RunAsync().DefaultTimeout();
    }
}
