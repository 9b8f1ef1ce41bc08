using Microsoft.Extensions.DependencyInjection;
using MlOps.AppHost;
using MlOps.Hosting.Runtime;

var builder = DistributedApplication.CreateBuilder(AppHostArguments.Normalize(args));
if (PortCheck.FirstTaken(builder) is { } taken)
{
    return BadInput.Exit(taken);
}

RuntimeMode mode;
try
{
    mode = builder.AddRuntimeMode();
}
catch (DistributedApplicationException ex)
{
    return BadInput.Exit(ex.Message);
}

// A resource whose dependency failed fails too, at once and with the reason, instead of waiting forever.
builder.Services.Configure<ResourceNotificationServiceOptions>(o => o.DefaultWaitBehavior = WaitBehavior.StopOnResourceUnavailable);
var settings = new AppHostSettings(builder.Configuration, builder.AppHostDirectory);
builder.AddContainerFailureReport().AddReadyReport("mlflow", "serving");

// Metadata of the tracking server (or MLflow) and serving's prediction log, kept between runs.
var databases = builder.AddMetadataPostgres(mode, settings);

// MLflow (container), our tracking server's image (Mlflow:Server=tracking) or the MlOps.Tracking project (local).
var mlflow = builder.AddMlflow(mode, settings, databases);

// The training data lives at /data in the containers and under the data folder for local processes.
var dataDir = mode.UseContainers ? "/data" : settings.HostPath("data");

// Synthetic, DVC-versioned training data: generated on the first run, kept afterwards.
IResourceBuilder<IResource> data = mode.UseContainers
    ? builder.AddTrainerImage("data", settings).WithArgs(TrainerArgs.Generate(builder.Configuration, dataDir))
    : builder.AddProject<Projects.MlOps_Trainer>("data").WithArgs(TrainerArgs.Generate(builder.Configuration, dataDir));

// Run to completion on request (the Train command); started once by itself while no model is in production.
var trainer = mode.UseContainers
    ? Trainer(builder.AddTrainerImage("trainer", settings).WithNvidiaGpuWhenAvailable(), "auto")
    : Trainer(builder.AddProject<Projects.MlOps_Trainer>("trainer"), "cpu");

builder.AddProject<Projects.MlOps_Serving>("serving")
    .WithHttpEndpoint(port: settings.ServingPort)
    .WithEnvironment("MLFLOW_TRACKING_URI", mlflow.GetEndpoint("http"))
    .WithEnvironment("MODEL_URI", settings.ModelUri)
    .WithReference(databases.Serving)
    .WithDevelopmentSettings(settings)
    .WithHttpHealthCheck("/health")
    .WithReloadModelCommand(builder.AddParameter("serving-admin-key", Secrets.Generated, secret: true, persist: true))
    .WithApiLinks()
    .WithComposeBuildArg("SDK_IMAGE", settings.Images.DotnetSdk).WithComposeBuildArg("RUNTIME_IMAGE", settings.Images.DotnetRuntime)
    .WaitFor(mlflow)
    .WaitFor(databases.Serving);

// `--publisher compose` writes docker-compose.yml (the manifest is Aspire's own: `--publisher manifest`).
builder.AddComposePublishing();
builder.Build().Run();
// Publishing steps that fail on bad input (an unwritable --output-path) set the exit code instead of throwing.
return Environment.ExitCode;

IResourceBuilder<IResource> Trainer<T>(IResourceBuilder<T> resource, string device)
    where T : class, IResourceWithArgs, IResourceWithEnvironment, IResourceWithWaitSupport =>
    resource.WithArgs(TrainerArgs.Train(builder.Configuration, dataDir, device))
        .WithEnvironment("MLFLOW_TRACKING_URI", mlflow.GetEndpoint("http"))
        .WaitFor(mlflow)
        .WaitForCompletion(data)
        .WithExplicitStart()
        .WithTrainCommand()
        .WithFirstRunTraining(mlflow);
