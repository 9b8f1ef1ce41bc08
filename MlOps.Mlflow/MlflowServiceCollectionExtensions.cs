using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace MlOps.Mlflow;

/// <summary>Registers <see cref="MlflowClient"/> as a typed HTTP client.</summary>
public static class MlflowServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="MlflowClient"/> as a typed <see cref="HttpClient"/> whose options come from MLflow's
    /// environment variables (read through <see cref="IConfiguration"/> when registered, else the process
    /// environment), then from <paramref name="configure"/>. Resilience is left to the HTTP client defaults
    /// (ServiceDefaults adds the standard handler to every client).
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
            return new MlflowClient(http, options);
        });
        return builder;
    }
}
