using MlOps.Serving.Api;
using MlOps.Serving.Monitoring.Drift;
using MlOps.Serving.Monitoring.Log;
using MlOps.Serving.Monitoring.Quality;
using MlOps.Serving.Monitoring.Shadow;

namespace MlOps.Serving.Monitoring;

/// <summary>Registers production monitoring: drift, the prediction log with feedback and live quality, the shadow.</summary>
internal static class MonitoringSetup
{
    /// <summary>The connection string name the AppHost gives serving its database under.</summary>
    public const string DatabaseName = "servingdb";

    public static void AddServingMonitoring(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<MonitoringOptions>().BindConfiguration(MonitoringOptions.Section);
        // Aspire's integration brings pooling, a health check, traces and metrics; without a database the log is off.
        if (!string.IsNullOrWhiteSpace(builder.Configuration.GetConnectionString(DatabaseName)))
        {
            builder.AddNpgsqlDataSource(DatabaseName);
        }

        services.AddSingleton<MonitoringTelemetry>();
        services.AddSingleton<PredictionLog>();
        services.AddSingleton<PredictionMonitor>();
        services.AddSingleton<DriftMonitor>();
        services.AddSingleton<ShadowScorer>();
        services.AddSingleton(sp => new ShadowScorerView(() => sp.GetRequiredService<ShadowScorer>().Snapshot));
        services.AddSingleton<FeedbackStore>();
        services.AddSingleton<QualityMonitor>();
        services.AddHostedService(sp => sp.GetRequiredService<QualityMonitor>());
        services.AddHostedService<MonitoringService>();
        services.AddHostedService<PredictionLogWriter>();
        services.AddHostedService<RetentionService>();
    }
}
