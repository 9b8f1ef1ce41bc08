using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;
using MlOps.Mlflow;
using MlOps.Serving.Api;
using MlOps.Serving.Model;
using MlOps.Serving.Telemetry;

namespace MlOps.Serving;

/// <summary>How the serving app is put together: settings, model hosts and their background services.</summary>
internal static class ServingSetup
{
    /// <summary>The largest registry answer read into memory (model files are streamed, not buffered).</summary>
    private const long MaxRegistryAnswerBytes = 16 * 1024 * 1024;

    /// <summary>
    /// Reads <c>appsettings.json</c> (and the environment's) from the app's own folder too, beneath the content root's:
    /// started from another folder (<c>dotnet run --project</c>, a service manager), serving keeps its settings.
    /// </summary>
    public static void AddAppSettingsFromAppFolder(this ConfigurationManager configuration, IHostEnvironment environment)
    {
        var folder = AppContext.BaseDirectory;
        if (string.Equals(Path.GetFullPath(environment.ContentRootPath).TrimEnd('/', '\\'), Path.GetFullPath(folder).TrimEnd('/', '\\'),
                StringComparison.Ordinal))
        {
            return;
        }

        var sources = configuration.Sources;
        var index = sources.Select((s, i) => (s, i)).FirstOrDefault(p => p.s is JsonConfigurationSource).i;
        foreach (var file in new[] { $"appsettings.{environment.EnvironmentName}.json", "appsettings.json" })
        {
            sources.Insert(index, new JsonConfigurationSource
            {
                FileProvider = new PhysicalFileProvider(folder),
                Path = file,
                Optional = true,
                ReloadOnChange = false,
            });
        }
    }

    public static void AddServingModels(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<ServingOptions>().Configure<IConfiguration>(ServingOptions.Bind);
        services.AddSingleton<ServingTelemetry>();
        services.AddSingleton<LocalModelSource>();
        services.AddSingleton<RegistryModelSource>();
        // The source is picked by the URI's scheme when first needed, once configuration is complete.
        services.AddSingleton<IModelSource>(sp =>
            RegistryModelSource.IsRegistryUri(sp.GetRequiredService<IOptions<ServingOptions>>().Value.ModelUri)
                ? sp.GetRequiredService<RegistryModelSource>()
                : sp.GetRequiredService<LocalModelSource>());
        // Resolved only for registry URIs; without MLFLOW_TRACKING_URI the load fails with that reason. A registry
        // answer is JSON of a few KB: one of hundreds of MB is refused, not read into memory.
        services.AddMlflowClient(options => options.MaxResponseBytes = MaxRegistryAnswerBytes);
        services.AddSingleton(sp => ActivatorUtilities.CreateInstance<ModelHost>(sp, ModelRole.Production));
        services.AddSingleton<ChallengerHost>();
        services.AddSingleton<ScoringPipeline>();
        // The server listens at once; the models load (and retry) in the background.
        services.AddHostedService<ModelLoadingService>();
        services.AddHostedService<AliasPollingService>();
    }
}
