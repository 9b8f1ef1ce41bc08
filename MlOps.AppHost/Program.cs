using Microsoft.Extensions.Configuration;
using MlOps.AppHost;
using MlOps.Dashboard;
using MlOps.Hosting;

var builder = DistributedApplication.CreateBuilder(args);
var images = new ImageSettings(builder.Configuration);
var dataDir = Path.Combine(builder.DataDirectory, "data");
builder.AddDashboard();

// Metadata of the tracking server (local) or MLflow (container), kept between runs.
var postgres = builder.AddPostgres("postgres")
    .WithImage(images.Postgres.Image, images.Postgres.Tag)
    .WithDataVolume($"{VolumeNames.Prefix(builder)}-postgres-data");
var trackingDb = postgres.AddDatabase("trackingdb");
var mlflowDb = postgres.AddDatabase("mlflowdb");

// MLflow (or the tracking server's image, Mlflow:Server=tracking); without a container engine, MlOps.Tracking.
var mlflow = builder.AddMlflow(images, postgres, mlflowDb, trackingDb);

// Synthetic, DVC-versioned training data: generated on the first run, kept afterwards.
var data = builder.AddDockerfile("data", "..", "MlOps.Trainer/Dockerfile")
    .WithDotnetImages(images)
    .WithTrainingData(builder, dataDir)
    .WithArgs(TrainerArgs.Generate(builder.Configuration, "/data"))
    .WithLocalProject("../MlOps.Trainer/MlOps.Trainer.csproj", "no container engine: the trainer runs as a local process",
        local => local.WithArgs(TrainerArgs.Generate(builder.Configuration, dataDir)));

// Run to completion on request (dashboard: Start); started once automatically while no model is in production.
var trainer = builder.AddDockerfile("trainer", "..", "MlOps.Trainer/Dockerfile")
    .WithDotnetImages(images)
    .WithTrainingData(builder, dataDir)
    .WithArgs(TrainerArgs.Train(builder.Configuration, "/data"))
    .WithEnvironment("MLFLOW_TRACKING_URI", mlflow.GetEndpoint("http"))
    // Kept only when the host has an NVIDIA GPU; otherwise the console says the trainer runs on CPU and why.
    .WithContainerRuntimeArgs("--gpus", "all")
    .WaitFor(mlflow)
    .WaitForCompletion(data)
    .WithExplicitStart()
    .WithLocalProject("../MlOps.Trainer/MlOps.Trainer.csproj", "no container engine: the trainer runs as a local process on the CPU",
        local => local
            .WithArgs(TrainerArgs.Train(builder.Configuration, dataDir))
            .WithArgs("--device", "cpu")
            .WithEnvironment("MLFLOW_TRACKING_URI", mlflow.GetEndpoint("http")));

builder.AddProject("serving", "../MlOps.Serving/MlOps.Serving.csproj")
    .WithHttpEndpoint(port: builder.Configuration.GetValue("Ports:serving", 8000))
    .WithEnvironment("MLFLOW_TRACKING_URI", mlflow.GetEndpoint("http"))
    .WithEnvironment("MODEL_URI", builder.Configuration["Serving:ModelUri"] ?? "models:/fraud-detector@production")
    .WithEnvironment(env =>
    {
        // Local runs only: a host folder for the model cache, and a quick follow of the alias while developing.
        if (env.ExecutionContext.IsRunMode)
        {
            env.EnvironmentVariables["Model__CacheDirectory"] = Path.Combine(builder.DataDirectory, "model-cache");
            env.EnvironmentVariables["Model__PollInterval"] = builder.Configuration["Serving:PollInterval"] ?? "00:00:05";
        }
    })
    .WithHttpHealthCheck("/health")
    .WaitFor(mlflow);

if (builder.ExecutionContext.IsRunMode)
{
    builder.Services.AddFirstRunTraining(mlflow: "mlflow", trainer: "trainer");
}

builder.Build().Run();
