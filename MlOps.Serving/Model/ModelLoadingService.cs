using Microsoft.Extensions.Options;
using MlOps.Serving.Telemetry;

namespace MlOps.Serving.Model;

/// <summary>
/// Loads the first model in the background so the server listens at once, and keeps trying with exponential
/// backoff while no model can be loaded. While the registry has no such model yet (<c>no-model</c>) it looks again
/// at least every <see cref="ServingOptions.PollInterval"/>, so the first version is picked up like an alias move.
/// A challenger that does not follow an alias (a pinned version, a folder) is loaded the same way. Nothing a load
/// meets stops the loop; each attempt runs with tracing suppressed, inside one <c>model.load</c> span.
/// </summary>
public sealed partial class ModelLoadingService(
    ModelHost host,
    ChallengerHost challenger,
    IOptions<ServingOptions> options,
    TimeProvider time,
    ILogger<ModelLoadingService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Let the host finish starting (and Kestrel bind) before the CPU-heavy load begins.
        await Task.Yield();
        var challengerLoad = challenger is { Host: { } shadow, FollowsAlias: false }
            ? LoadWithBackoffAsync(shadow, stoppingToken)
            : Task.CompletedTask;
        await LoadWithBackoffAsync(host, stoppingToken);
        await challengerLoad;
    }

    private async Task LoadWithBackoffAsync(ModelHost target, CancellationToken stoppingToken)
    {
        var delay = options.Value.RetryInitialDelay;
        while (!stoppingToken.IsCancellationRequested && !target.HasModel)
        {
            if (await TryLoadAsync(target, stoppingToken) is null or { Succeeded: true })
            {
                return;
            }

            var wait = target.Status.State == ModelState.NoModel && options.Value.PollInterval < delay ? options.Value.PollInterval : delay;
            await Task.Delay(wait, time, stoppingToken);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, options.Value.RetryMaxDelay.Ticks));
        }
    }

    private async Task<ReloadOutcome?> TryLoadAsync(ModelHost target, CancellationToken stoppingToken)
    {
        var span = QuietWork.StartSpan("model.load");
        span?.SetTag(ServingTelemetry.ModelRoleAttribute, target.Role.ToString().ToLowerInvariant());
        try
        {
            using (QuietWork.Begin())
            {
                var outcome = await target.TryInitialLoadAsync(stoppingToken);
                span?.SetTag(ServingTelemetry.ModelVersionAttribute, outcome?.Model?.Version)
                    .SetStatus(outcome is { Succeeded: false } ? System.Diagnostics.ActivityStatusCode.Error : System.Diagnostics.ActivityStatusCode.Ok, outcome?.Reason);
                return outcome;
            }
        }
        catch (Exception e) when (!stoppingToken.IsCancellationRequested)
        {
            // ModelHost turns load failures into outcomes; this is the last line, so retrying never stops.
            var reason = Reasons.Of(e);
            target.ReportLoadError(reason);
            LogLoadFailed(target.Role, reason);
            return new ReloadOutcome(false, null, null, reason);
        }
        finally
        {
            QuietWork.EndSpan(span);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "{Role} model load failed unexpectedly; retrying: {Reason}")]
    private partial void LogLoadFailed(ModelRole role, string reason);
}
