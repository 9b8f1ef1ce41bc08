using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MlOps.Mlflow;

namespace MlOps.Hosting.Training;

/// <summary>Asks the registry for <c>model@alias</c> once; when there is none, starts the trainer.</summary>
internal sealed partial class FirstRunTraining(IResource trainer, EndpointReference tracking, string model, string alias)
{
    private int _begun;

    public void Begin(IServiceProvider services)
    {
        // Once per AppHost run: a restarted tracking server turns ready again but is no first run.
        if (Interlocked.Exchange(ref _begun, 1) == 0)
        {
            _ = RunAsync(services);
        }
    }

    private async Task RunAsync(IServiceProvider services)
    {
        var logger = services.GetRequiredService<ResourceLoggerService>().GetLogger(trainer);
        var stopping = services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        try
        {
            if (await HasModelAsync(new Uri(tracking.Url), logger, stopping).ConfigureAwait(false))
            {
                return;
            }

            LogTraining(logger, model, alias);
            var result = await services.GetRequiredService<ResourceCommandService>()
                .ExecuteCommandAsync(trainer, KnownResourceCommands.StartCommand, stopping).ConfigureAwait(false);
            if (!result.Success)
            {
                LogStartFailed(logger, result.Message);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // The AppHost is stopping.
        }
        catch (Exception ex)
        {
            LogStartFailed(logger, ex.Message);
        }
    }

    private async Task<bool> HasModelAsync(Uri trackingUri, ILogger logger, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = trackingUri, Timeout = TimeSpan.FromSeconds(30) };
        try
        {
            await new MlflowClient(http).GetModelVersionByAliasAsync(model, alias, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (MlflowException ex) when (ex.ErrorCode == KnownMlflowErrorCodes.ResourceDoesNotExist)
        {
            return false;
        }
        catch (Exception ex) when (ex is MlflowException or HttpRequestException)
        {
            LogRegistryUnreachable(logger, ex.Message);
            return true;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "No '{Model}@{Alias}' in the registry yet: training the first model.")]
    private static partial void LogTraining(ILogger logger, string model, string alias);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not start the first training: {Reason}")]
    private static partial void LogStartFailed(ILogger logger, string? reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not ask the registry for a production model ({Reason}); not training automatically.")]
    private static partial void LogRegistryUnreachable(ILogger logger, string reason);
}
