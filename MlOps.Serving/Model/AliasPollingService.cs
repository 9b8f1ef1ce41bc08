using Microsoft.Extensions.Options;
using MlOps.Mlflow;

namespace MlOps.Serving.Model;

/// <summary>
/// Follows a <c>models:/name@alias</c> URI: every <see cref="ServingOptions.PollInterval"/> it asks the registry which
/// version the alias names (one call) and, when that differs from the loaded one, reloads through
/// <see cref="ModelHost.ReloadAsync"/>, the path <c>/admin/reload</c> takes. While the tracking server is unreachable
/// the current model keeps serving and one warning is logged per outage. Other URIs are not polled.
/// </summary>
public sealed partial class AliasPollingService(
    ModelHost host,
    RegistryModelSource source,
    IOptions<ServingOptions> options,
    TimeProvider time,
    ILogger<AliasPollingService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!ModelUri.TryParse(options.Value.ModelUri, out var uri) || uri!.Alias is null)
        {
            return;
        }

        using var timer = new PeriodicTimer(options.Value.PollInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            // Until the first model is in, the loading service retries with backoff; polling takes over after.
            if (host.Status.Model is { } loaded)
            {
                await PollAsync(uri, loaded, stoppingToken);
            }
        }
    }

    private async Task PollAsync(ModelUri uri, ModelInfo loaded, CancellationToken stoppingToken)
    {
        string version;
        try
        {
            version = await source.GetAliasVersionAsync(stoppingToken);
        }
        catch (MlflowException e) when (RegistryModelSource.IsUnreachable(e))
        {
            if (!host.RegistryUnreachable)
            {
                host.RegistryUnreachable = true;
                LogUnreachable(uri.Original, loaded.Version, e.Message);
            }

            return;
        }
        catch (MlflowException e)
        {
            LogPollRefused(uri.Original, e.Message);
            return;
        }

        if (host.RegistryUnreachable)
        {
            host.RegistryUnreachable = false;
            LogReachable(uri.Original);
        }

        if (version != loaded.Version)
        {
            LogAliasMoved(uri.Original, loaded.Version, version);
            // A failed load keeps the current model; ModelHost logs why, and the next poll tries again.
            await host.ReloadAsync(stoppingToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Tracking server unreachable while polling {Uri}; version {Version} keeps serving: {Reason}")]
    private partial void LogUnreachable(string uri, string version, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Tracking server reachable again for {Uri}")]
    private partial void LogReachable(string uri);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Polling {Uri} was refused; the current model keeps serving: {Reason}")]
    private partial void LogPollRefused(string uri, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Uri} moved from version {Previous} to {Version}; reloading")]
    private partial void LogAliasMoved(string uri, string previous, string version);
}
