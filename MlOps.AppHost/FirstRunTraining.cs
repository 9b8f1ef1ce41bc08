using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MlOps.Hosting.Orchestration;
using MlOps.Mlflow;

namespace MlOps.AppHost;

/// <summary>Starts the trainer once when the registry has no production model yet, so a newcomer's first run ends
/// with a model being served. Later trainings are started by the user (dashboard or API).</summary>
internal sealed partial class FirstRunTraining(
    ResourceNotificationService notifications,
    IResourceCommandService commands,
    FirstRunTrainingOptions options,
    ILogger<FirstRunTraining> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            var mlflow = await notifications.WaitForAsync(options.Mlflow,
                s => s.State == ResourceState.Running && s.Health == ResourceHealthStatus.Healthy, stoppingToken).ConfigureAwait(false);
            var url = mlflow.Urls.FirstOrDefault(u => !u.IsInternal)?.Url;
            if (url is null || await HasProductionModelAsync(new Uri(url), stoppingToken).ConfigureAwait(false))
            {
                return;
            }

            LogTraining(logger, options.Model, options.Alias, options.Trainer);
            var result = await commands.ExecuteAsync(options.Trainer, KnownResourceCommands.Start, stoppingToken).ConfigureAwait(false);
            if (!result.Success)
            {
                LogStartFailed(logger, options.Trainer, result.ErrorMessage);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The AppHost is stopping.
        }
    }

    private async Task<bool> HasProductionModelAsync(Uri trackingUri, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = trackingUri, Timeout = TimeSpan.FromSeconds(30) };
        var client = new MlflowClient(http);
        try
        {
            await client.GetModelVersionByAliasAsync(options.Model, options.Alias, cancellationToken).ConfigureAwait(false);
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

    [LoggerMessage(Level = LogLevel.Information, Message = "No '{Model}@{Alias}' in the registry yet: starting '{Trainer}' to train the first model.")]
    private static partial void LogTraining(ILogger logger, string model, string alias, string trainer);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not start '{Trainer}': {Reason}")]
    private static partial void LogStartFailed(ILogger logger, string trainer, string? reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not ask the registry for a production model ({Reason}); not training automatically.")]
    private static partial void LogRegistryUnreachable(ILogger logger, string reason);
}

/// <summary>Which resources and model the first-run training looks at.</summary>
internal sealed record FirstRunTrainingOptions(string Mlflow, string Trainer, string Model = "fraud-detector", string Alias = "production");

internal static class FirstRunTrainingExtensions
{
    public static IServiceCollection AddFirstRunTraining(this IServiceCollection services, string mlflow, string trainer)
    {
        services.AddSingleton(new FirstRunTrainingOptions(mlflow, trainer));
        services.AddHostedService<FirstRunTraining>();
        return services;
    }
}
