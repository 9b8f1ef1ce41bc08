using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MlOps.Tests.AppHost;
using MlOps.Tests.Infrastructure;

namespace MlOps.Tests.Compose;

/// <summary>App models for the compose tests, built with Aspire's real builder in publish mode (<c>--publisher compose
/// --output-path DIR</c>, as the AppHost is run), and the publish run itself. <see cref="AddMlOps"/> mirrors the AppHost's
/// topology in container mode: PostgreSQL with two databases, the tracking server built from its Dockerfile, the data
/// job and the on-demand trainer from the trainer's Dockerfile, serving as a project.</summary>
public static class ComposeTopology
{
    public const string PostgresImage = DockerTestEnvironment.PostgresImage;
    public const string SdkImage = DockerTestEnvironment.SdkImage;
    public const string RuntimeImage = DockerTestEnvironment.RuntimeImage;

    public static string RepoRoot => TestRepository.Root;

    public static IDistributedApplicationBuilder CreateBuilder(string outputPath, params string[] args)
    {
        var builder = DistributedApplication.CreateBuilder(new DistributedApplicationOptions
        {
            Args = ["--publisher", "compose", "--output-path", outputPath, .. args],
            DisableDashboard = true,
        });
        builder.AddComposePublishing();
        return builder;
    }

    /// <summary>Runs the publish pipeline to its end (publish mode stops by itself) and throws with the errors it
    /// logged: Aspire reports a failed step in the log and stops the host, but <c>RunAsync</c> returns normally.</summary>
    public static async Task PublishAsync(IDistributedApplicationBuilder builder)
    {
        var errors = new ErrorLog();
        builder.Services.AddLogging(logging => logging.AddProvider(errors));
        await using (var app = builder.Build())
        {
            await app.RunAsync().DefaultTimeout();
        }

        if (!errors.Messages.IsEmpty)
        {
            throw new InvalidOperationException(string.Join('\n', errors.Messages));
        }
    }

    public sealed record Ports(int Mlflow, int Serving);

    public static void AddMlOps(IDistributedApplicationBuilder builder, Ports ports, string volumePrefix = "mlops")
    {
        var postgres = builder.AddPostgres("postgres").WithImage(PostgresImage).WithDataVolume($"{volumePrefix}-postgres-data");
        var trackingDb = postgres.AddDatabase("trackingdb");
        postgres.AddDatabase("mlflowdb");
        var mlflow = builder.AddDockerfile("mlflow", RepoRoot, "MlOps.Tracking/Dockerfile")
            .WithBuildArg("SDK_IMAGE", SdkImage).WithBuildArg("RUNTIME_IMAGE", RuntimeImage)
            .WithHttpEndpoint(port: ports.Mlflow, targetPort: 5000)
            .WithVolume($"{volumePrefix}-mlflow-artifacts", "/mlartifacts")
            .WithReference(trackingDb, connectionName: "tracking")
            .WaitFor(trackingDb)
            .WithHttpHealthCheck("/health");
        var data = builder.AddDockerfile("data", RepoRoot, "MlOps.Trainer/Dockerfile")
            .WithBuildArg("SDK_IMAGE", SdkImage).WithBuildArg("RUNTIME_IMAGE", RuntimeImage)
            .WithVolume($"{volumePrefix}-training-data", "/data")
            .WithArgs("generate", "--rows", "20000", "--seed", "42", "--out", "/data/transactions.parquet", "--if-missing", "--dvc");
        builder.AddDockerfile("trainer", RepoRoot, "MlOps.Trainer/Dockerfile")
            .WithBuildArg("SDK_IMAGE", SdkImage).WithBuildArg("RUNTIME_IMAGE", RuntimeImage)
            .WithVolume($"{volumePrefix}-training-data", "/data")
            .WithArgs("train", "--data", "/data/transactions.parquet", "--label", "is_fraud", "--output", "/data/runs", "--seed", "42")
            .WithEnvironment("MLFLOW_TRACKING_URI", mlflow.GetEndpoint("http"))
            .WithContainerRuntimeArgs("--gpus", "all")
            .WaitFor(mlflow)
            .WaitForCompletion(data)
            .WithExplicitStart();
        builder.AddProject("serving", Path.Combine(RepoRoot, "MlOps.Serving", "MlOps.Serving.csproj"))
            .WithHttpEndpoint(port: ports.Serving)
            .WithEnvironment("MLFLOW_TRACKING_URI", mlflow.GetEndpoint("http"))
            .WithEnvironment("MODEL_URI", "models:/fraud-detector@production")
            .WithComposeBuildArg("SDK_IMAGE", SdkImage).WithComposeBuildArg("RUNTIME_IMAGE", RuntimeImage)
            .WithHttpHealthCheck("/health")
            .WaitFor(mlflow);
    }

    /// <summary>Keeps every error logged by the app (the pipeline's step failures among them).</summary>
    private sealed class ErrorLog : ILoggerProvider, ILogger
    {
        public System.Collections.Concurrent.ConcurrentQueue<string> Messages { get; } = new();

        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                Messages.Enqueue($"{formatter(state, exception)} {exception?.Message}");
            }
        }

        public void Dispose()
        {
        }
    }
}
