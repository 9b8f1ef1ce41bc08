using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// The defaults every MlOps service shares, in the shape of Aspire's ServiceDefaults project template: OpenTelemetry
/// traces, metrics and logs (exported over OTLP only when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set, as the AppHost
/// sets it), health checks, service discovery (<c>services__name__endpoint__0</c> from the AppHost's references) and
/// HTTP client resilience.
/// </summary>
public static class ServiceDefaultsExtensions
{
    /// <summary>The path of the readiness endpoint (all health checks).</summary>
    public const string HealthEndpointPath = "/health";

    /// <summary>The path of the liveness endpoint (checks tagged <c>live</c>).</summary>
    public const string AlivenessEndpointPath = "/alive";

    /// <summary>Adds OpenTelemetry, default health checks, service discovery and resilient HTTP clients.</summary>
    /// <param name="builder">The application builder.</param>
    /// <param name="additionalSources">Activity sources and meters of the service itself, traced and measured too.</param>
    /// <returns>The same builder.</returns>
    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder, params string[] additionalSources)
        where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.ConfigureOpenTelemetry(additionalSources);
        builder.AddDefaultHealthChecks();
        builder.Services.AddHttpClient();
        builder.Services.AddServiceDiscovery();
        builder.Services.ConfigureHttpClientDefaults(http =>
        {
            http.AddStandardResilienceHandler();
            http.AddServiceDiscovery();
        });
        return builder;
    }

    /// <summary>Configures logging, tracing and metrics, exporting over OTLP when the endpoint is configured.</summary>
    /// <param name="builder">The application builder.</param>
    /// <param name="additionalSources">Activity sources and meters of the service itself.</param>
    /// <returns>The same builder.</returns>
    public static TBuilder ConfigureOpenTelemetry<TBuilder>(this TBuilder builder, params string[] additionalSources)
        where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics =>
            {
                metrics.AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddRuntimeInstrumentation();
                foreach (var source in additionalSources)
                {
                    metrics.AddMeter(source);
                }
            })
            .WithTracing(tracing =>
            {
                tracing.AddSource(builder.Environment.ApplicationName)
                    .AddAspNetCoreInstrumentation(options =>
                        // Health probes would drown the traces a user is looking for.
                        options.Filter = context =>
                            !context.Request.Path.StartsWithSegments(HealthEndpointPath, StringComparison.Ordinal)
                            && !context.Request.Path.StartsWithSegments(AlivenessEndpointPath, StringComparison.Ordinal))
                    .AddHttpClientInstrumentation();
                foreach (var source in additionalSources)
                {
                    tracing.AddSource(source);
                }
            });

        if (!string.IsNullOrWhiteSpace(builder.Configuration[KnownOtelEnvironment.ExporterEndpoint]))
        {
            builder.Services.AddOpenTelemetry().UseOtlpExporter();
        }

        return builder;
    }

    /// <summary>Adds a liveness check tagged <c>live</c> that is healthy while the process runs.</summary>
    /// <param name="builder">The application builder.</param>
    /// <returns>The same builder.</returns>
    public static TBuilder AddDefaultHealthChecks<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddHealthChecks().AddCheck("self", () => HealthCheckResult.Healthy(), ["live"]);
        return builder;
    }

    /// <summary>
    /// Maps <c>/health</c> (every check must pass) and <c>/alive</c> (only checks tagged <c>live</c>).
    /// A service that serves its own richer <c>/health</c> passes <paramref name="mapHealth"/> = false.
    /// </summary>
    /// <param name="app">The web application.</param>
    /// <param name="mapHealth">Whether to map the default readiness endpoint.</param>
    /// <returns>The same application.</returns>
    public static WebApplication MapDefaultEndpoints(this WebApplication app, bool mapHealth = true)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (mapHealth)
        {
            app.MapHealthChecks(HealthEndpointPath);
        }

        app.MapHealthChecks(AlivenessEndpointPath, new HealthCheckOptions { Predicate = r => r.Tags.Contains("live") });
        return app;
    }
}
