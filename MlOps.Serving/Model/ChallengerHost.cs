using Microsoft.Extensions.Options;
using MlOps.Mlflow;
using MlOps.Serving.Monitoring;
using MlOps.Serving.Telemetry;

namespace MlOps.Serving.Model;

/// <summary>
/// The challenger scored in the shadow of the production model: by default <c>models:/name@challenger</c> beside a
/// <c>models:/name@production</c> URI (the trainer sets that alias when a version does not beat production), or
/// <c>Monitoring:Shadow:ModelUri</c>. Loaded, hot-swapped and dropped like the production model, by its own
/// <see cref="ModelHost"/>; <see cref="Host"/> is null when the shadow is off, with the reason.
/// </summary>
public sealed class ChallengerHost : IDisposable
{
    public ChallengerHost(IOptions<ServingOptions> options, IOptions<MonitoringOptions> monitoring, IServiceProvider services,
        ServingTelemetry telemetry, TimeProvider time, ILogger<ModelHost> logger)
    {
        ArgumentNullException.ThrowIfNull(monitoring);
        var shadow = monitoring.Value.Shadow;
        Uri = shadow.ModelUri ?? DefaultUri(options.Value.ModelUri, shadow.Alias);
        if (!shadow.Enabled)
        {
            OffReason = "turned off (Monitoring:Shadow:Enabled=false).";
        }
        else if (Uri is null)
        {
            OffReason = "no challenger: MODEL_URI is not a models:/name@alias URI and Monitoring:Shadow:ModelUri is not set.";
        }
        else
        {
            var uri = Uri;
            Source = RegistryModelSource.IsRegistryUri(uri)
                ? new RegistryModelSource(options, services, () => uri)
                : new LocalModelSource(() => uri);
            Host = new ModelHost(Source, options, telemetry, time, logger, ModelRole.Challenger);
        }
    }

    /// <summary>The challenger's URI, when there is one.</summary>
    public string? Uri { get; }

    public IModelSource? Source { get; }

    public ModelHost? Host { get; }

    /// <summary>Why there is no challenger host; null when there is one.</summary>
    public string? OffReason { get; }

    /// <summary>Whether the challenger follows an alias (polled with production's).</summary>
    public bool FollowsAlias => Source is RegistryModelSource && ModelUri.TryParse(Uri, out var parsed) && parsed!.Alias is not null;

    private static string? DefaultUri(string? production, string alias) =>
        ModelUri.TryParse(production, out var parsed) && parsed is { Kind: ModelUriKind.Registry, Alias: not null }
            ? $"models:/{parsed.Name}@{alias}"
            : null;

    public void Dispose() => Host?.Dispose();
}
