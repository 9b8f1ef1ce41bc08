using Microsoft.Extensions.Options;
using MlOps.Tracking.Artifacts;
using MlOps.Tracking.Data;
using MlOps.Tracking.Experiments;
using MlOps.Tracking.Infrastructure;
using MlOps.Tracking.Registry;
using MlOps.Tracking.Runs;
using MlOps.Tracking.Ui;

namespace MlOps.Tracking;

/// <summary>The embedded MLflow-compatible tracking server: MLflow REST 2.0 on PostgreSQL and a file artifact store.</summary>
public partial class Program
{
    public static async Task Main(string[] args)
    {
        var app = BuildApp(args);
        await app.RunAsync();
    }

    public static WebApplication BuildApp(string[] args)
    {
        // Named explicitly: hosted from another process (tests), the UI's static web assets are still found.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ApplicationName = typeof(Program).Assembly.GetName().Name });
        builder.AddServiceDefaults(TrackingTelemetry.SourceName);

        // Aspire's PostgreSQL client (ConnectionStrings__tracking): the pooled data source, its health check (which
        // /health reports), and the database's traces and metrics.
        builder.AddNpgsqlDataSource(TrackingOptions.ConnectionName);

        builder.Services.ConfigureHttpJsonOptions(options => MlflowJson.Configure(options.SerializerOptions));
        builder.Services.AddOptions<TrackingOptions>()
            .Bind(builder.Configuration.GetSection(TrackingOptions.SectionName))
            .PostConfigure<IHostEnvironment>((options, environment) =>
                options.ArtifactsRoot = Path.GetFullPath(string.IsNullOrWhiteSpace(options.ArtifactsRoot)
                    ? Path.Combine(environment.ContentRootPath, "mlartifacts")
                    : options.ArtifactsRoot));

        builder.Services.AddHostedService<SchemaMigrator>();
        builder.Services.AddSingleton<ExperimentStore>();
        builder.Services.AddSingleton<RunStore>();
        builder.Services.AddSingleton<RunLogStore>();
        builder.Services.AddSingleton<RegistryStore>();
        builder.Services.AddSingleton(services => new ArtifactStore(services.GetRequiredService<IOptions<TrackingOptions>>().Value.ArtifactsRoot!));
        builder.AddTrackingUi();

        var app = builder.Build();
        app.UseMiddleware<MlflowErrorMiddleware>();
        app.MapDefaultEndpoints(mapHealth: false);
        app.MapHealth();
        app.MapExperiments();
        app.MapRuns();
        app.MapArtifacts();
        app.MapRegisteredModels();
        app.MapModelVersions();
        app.MapTrackingUi();
        return app;
    }
}
