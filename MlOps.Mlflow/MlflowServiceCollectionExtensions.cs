using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTelemetry.Instrumentation.Http;

namespace MlOps.Mlflow;

/// <summary>Registers <see cref="MlflowClient"/> as a typed HTTP client.</summary>
public static class MlflowServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="MlflowClient"/> as a typed <see cref="HttpClient"/> whose options come from MLflow's
    /// environment variables (read through <see cref="IConfiguration"/> when registered, else the process
    /// environment), then from <paramref name="configure"/>. Resilience is left to the HTTP client defaults
    /// (ServiceDefaults adds the standard handler to every client); whatever it throws becomes an
    /// <see cref="MlflowException"/>. The client logs through the registered <see cref="ILoggerFactory"/>, and the
    /// HttpClient spans of expected answers (<see cref="MlflowHttpSpans"/>) are not marked as errors.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Changes the options after they are read, if needed.</param>
    /// <returns>The HTTP client builder, to add handlers.</returns>
    public static IHttpClientBuilder AddMlflowClient(this IServiceCollection services, Action<MlflowClientOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<MlflowClientOptions>().Configure<IServiceProvider>((options, provider) =>
        {
            var configuration = provider.GetService<IConfiguration>();
            options.ReadFrom(configuration is null ? Environment.GetEnvironmentVariable : key => configuration[key]);
            configure?.Invoke(options);
        });

        services.Configure<HttpClientTraceInstrumentationOptions>(options =>
        {
            var previous = options.EnrichWithHttpResponseMessage;
            options.EnrichWithHttpResponseMessage = (activity, response) =>
            {
                previous?.Invoke(activity, response);
                MlflowHttpSpans.Enrich(activity, response);
            };
        });

        var builder = services.AddHttpClient(nameof(MlflowClient));
        builder.AddTypedClient((http, provider) =>
        {
            var options = provider.GetRequiredService<IOptions<MlflowClientOptions>>().Value;
            if (options.TrackingUri is null)
            {
                throw new InvalidOperationException(
                    $"{KnownMlflowEnvironment.TrackingUri} is not set: the MLflow client does not know the tracking server.");
            }

            http.BaseAddress = options.TrackingUri;
            return new MlflowClient(http, options, provider.GetService<ILoggerFactory>()?.CreateLogger<MlflowClient>());
        });
        return builder;
    }
}
