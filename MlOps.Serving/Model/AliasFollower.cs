using MlOps.Mlflow;
using MlOps.Serving.Telemetry;

namespace MlOps.Serving.Model;

/// <summary>
/// Follows one alias for one <see cref="ModelHost"/>: asks the registry which version it names and reloads when that
/// is not the loaded one. Whatever the registry does (unreachable, hanging, answering nonsense) is caught: the loaded
/// model keeps serving, the host's status says why no new model could be had, a failed version is tried again with
/// backoff, and each distinct problem is logged once. A poll that finds nothing new logs and traces nothing; a move is
/// one log line and one <c>model.reload</c> span.
/// </summary>
internal sealed partial class AliasFollower(
    ModelHost host,
    RegistryModelSource source,
    ServingOptions options,
    TimeProvider time,
    ILogger logger)
{
    private string? _failedVersion;
    private DateTimeOffset _retryAt;
    private TimeSpan _delay = options.RetryInitialDelay;
    private string? _lastProblem;

    public ModelHost Host => host;

    /// <summary>One poll; never throws except when <paramref name="stoppingToken"/> is cancelled.</summary>
    public async Task PollAsync(CancellationToken stoppingToken)
    {
        var uri = source.Uri;
        string version;
        try
        {
            version = await source.GetAliasVersionAsync(stoppingToken);
        }
        catch (MlflowException e) when (RegistryModelSource.IsUnreachable(e))
        {
            Unreachable(uri.Original, Reasons.Clean(e.Message));
            return;
        }
        catch (MlflowException e) when (IsMissing(e))
        {
            Missing(uri.Original, Reasons.Clean(e.Message));
            return;
        }
        catch (Exception e) when (!stoppingToken.IsCancellationRequested)
        {
            Problem(uri.Original, Reasons.Of(e));
            return;
        }

        Reachable(uri.Original);
        var loaded = host.Status.Model?.Version;
        if (version == loaded)
        {
            (_failedVersion, _lastProblem) = (null, null);
            return;
        }

        if (version == _failedVersion && time.GetUtcNow() < _retryAt)
        {
            return;
        }

        await ReloadAsync(loaded, version, stoppingToken);
    }

    private async Task ReloadAsync(string? loaded, string version, CancellationToken stoppingToken)
    {
        // The reload's own line (loaded, or why not) is the one log line of a move; the span records the move itself.
        var span = QuietWork.StartSpan("model.reload");
        span?.SetTag(ServingTelemetry.ModelRoleAttribute, host.Role.ToString().ToLowerInvariant())
            .SetTag("mlops.model.previous_version", loaded).SetTag(ServingTelemetry.ModelVersionAttribute, version);
        try
        {
            var outcome = await host.ReloadAsync(stoppingToken);
            span?.SetStatus(outcome.Succeeded ? System.Diagnostics.ActivityStatusCode.Ok : System.Diagnostics.ActivityStatusCode.Error, outcome.Reason);
            if (outcome.Succeeded)
            {
                (_failedVersion, _delay) = (null, options.RetryInitialDelay);
                return;
            }

            // ModelHost logged why; the same version is tried again after a growing pause, another version at once.
            _delay = version == _failedVersion ? TimeSpan.FromTicks(Math.Min(_delay.Ticks * 2, options.RetryMaxDelay.Ticks)) : options.RetryInitialDelay;
            (_failedVersion, _retryAt) = (version, time.GetUtcNow() + _delay);
        }
        finally
        {
            QuietWork.EndSpan(span);
        }
    }

    private static bool IsMissing(MlflowException e) =>
        e.ErrorCode is KnownMlflowErrorCodes.ResourceDoesNotExist or KnownMlflowErrorCodes.InvalidParameterValue;

    private void Unreachable(string uri, string reason)
    {
        if (!host.RegistryUnreachable)
        {
            host.RegistryUnreachable = true;
            LogUnreachable(host.Role, uri, host.Status.Model?.Version ?? "none", reason);
        }
    }

    private void Reachable(string uri)
    {
        if (host.RegistryUnreachable)
        {
            host.RegistryUnreachable = false;
            LogReachable(uri);
        }
    }

    // The alias is gone: production keeps what it has (someone may be moving it); a challenger is dropped.
    private void Missing(string uri, string reason)
    {
        Reachable(uri);
        if (host.Role == ModelRole.Challenger)
        {
            if (host.HasModel || host.Status.State != ModelState.NoModel)
            {
                host.Unload($"The registry has no '{uri}': {reason}");
                LogNoChallenger(uri);
            }

            return;
        }

        Problem(uri, $"The registry has no '{uri}' any more: {reason}");
    }

    private void Problem(string uri, string reason)
    {
        host.ReportLoadError(reason);
        if (reason != _lastProblem)
        {
            _lastProblem = reason;
            LogPollRefused(host.Role, uri, reason);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Tracking server unreachable while polling {Uri}; {Role} version {Version} stays: {Reason}")]
    private partial void LogUnreachable(ModelRole role, string uri, string version, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Tracking server reachable again for {Uri}")]
    private partial void LogReachable(string uri);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Polling {Uri} gave no usable version; the {Role} model stays: {Reason}")]
    private partial void LogPollRefused(ModelRole role, string uri, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Uri} names no version; no challenger is scored")]
    private partial void LogNoChallenger(string uri);
}
