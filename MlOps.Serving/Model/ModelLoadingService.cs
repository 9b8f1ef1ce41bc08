using Microsoft.Extensions.Options;

namespace MlOps.Serving.Model;

/// <summary>
/// Loads the first model in the background so the server listens at once, and keeps trying with exponential
/// backoff while no model can be loaded. While the registry has no such model yet (<c>no-model</c>) it looks again
/// at least every <see cref="ServingOptions.PollInterval"/>, so the first version is picked up like an alias move.
/// </summary>
public sealed class ModelLoadingService(ModelHost host, IOptions<ServingOptions> options, TimeProvider time) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Let the host finish starting (and Kestrel bind) before the CPU-heavy load begins.
        await Task.Yield();
        var delay = options.Value.RetryInitialDelay;
        while (!stoppingToken.IsCancellationRequested && !host.HasModel)
        {
            var outcome = await host.TryInitialLoadAsync(stoppingToken);
            if (outcome is null || outcome.Succeeded)
            {
                return;
            }

            var wait = host.Status.State == ModelState.NoModel && options.Value.PollInterval < delay ? options.Value.PollInterval : delay;
            await Task.Delay(wait, time, stoppingToken);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, options.Value.RetryMaxDelay.Ticks));
        }
    }
}
