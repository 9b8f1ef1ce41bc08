using Microsoft.Extensions.Options;
using MlOps.Mlflow;
using MlOps.Serving.Telemetry;

namespace MlOps.Serving.Model;

/// <summary>
/// Follows a <c>models:/name@alias</c> URI (and the challenger's alias beside it): every
/// <see cref="ServingOptions.PollInterval"/> each <see cref="AliasFollower"/> asks the registry which version its alias
/// names and reloads through <see cref="ModelHost.ReloadAsync"/>, the path <c>/admin/reload</c> takes, when that
/// differs. Polls run with tracing suppressed. Nothing a poll meets stops the loop.
/// </summary>
public sealed partial class AliasPollingService(
    ModelHost host,
    ChallengerHost challenger,
    RegistryModelSource source,
    IOptions<ServingOptions> options,
    TimeProvider time,
    ILogger<AliasPollingService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var production = ModelUri.TryParse(settings.ModelUri, out var uri) && uri!.Alias is not null
            ? new AliasFollower(host, source, settings, time, logger)
            : null;
        var shadow = challenger is { FollowsAlias: true, Host: { } challengerHost, Source: RegistryModelSource challengerSource }
            ? new AliasFollower(challengerHost, challengerSource, settings, time, logger)
            : null;
        if (production is null && shadow is null)
        {
            return;
        }

        using var timer = new PeriodicTimer(settings.PollInterval, time);
        do
        {
            // Until the first model is in, the loading service retries with backoff; polling takes over after.
            if (production is not null && host.HasModel)
            {
                await PollQuietlyAsync(production, stoppingToken);
            }

            if (shadow is not null)
            {
                await PollQuietlyAsync(shadow, stoppingToken);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private async Task PollQuietlyAsync(AliasFollower follower, CancellationToken stoppingToken)
    {
        try
        {
            using (QuietWork.Begin())
            {
                await follower.PollAsync(stoppingToken);
            }
        }
        catch (Exception e) when (!stoppingToken.IsCancellationRequested)
        {
            // The follower catches what the registry throws; this is the last line, so the loop never ends early.
            LogPollFailed(follower.Host.Role, Reasons.Of(e));
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "{Role} alias poll failed unexpectedly; polling goes on: {Reason}")]
    private partial void LogPollFailed(ModelRole role, string reason);
}
