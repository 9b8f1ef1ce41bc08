using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MlOps.Mlflow;
using MlOps.Trainer.LightGbm;
using MlOps.Trainer.Tracking;
using MlOps.Trainer.Training;
using Spectre.Console;

namespace MlOps.Trainer.Cli;

/// <summary>
/// What <c>train</c> and <c>tune</c> share around their work: a host with the services' OpenTelemetry setup and the
/// MLflow client (when MLFLOW_TRACKING_URI is set), one trace per command, LightGBM's log routed into the logger, a
/// tracked MLflow run that always ends, and the last line on the console.
/// </summary>
internal static class TrainerHost
{
    /// <summary>The command's own work; <paramref name="session"/> is null offline.</summary>
    public delegate Task<TrainingOutcome> Work(TrackingSession? session, ITrainingReporter reporter, CancellationToken ct);

    public static async Task<int> RunAsync(
        CliContext context, string command, TrainingRequest request, TrackingSettings tracking, Work work, CancellationToken ct)
    {
        // Before anything else: an unwritable --output is bad input found in a second, not after the training.
        OutputFolder.EnsureWritable(request.OutputDirectory);
        // A .dvc-tracked file that is not here yet comes from the default remote first (the seed's `dvc pull`).
        await TrainDataPresence.EnsureAsync(context, request.DataPath, ct).ConfigureAwait(false);
        var mlflow = MlflowClientOptions.FromEnvironment(context.GetVariable);

        // A host gives the trainer the same OpenTelemetry setup as every service (OTLP only when configured) and
        // the MLflow client the same resilient HttpClient (bounded retries) and tracing.
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ApplicationName = "mlops-trainer", Args = [] });
        builder.Logging.ClearProviders();
        builder.AddServiceDefaults(TrainerTelemetry.Name, MlflowClient.ActivitySourceName);
        var attempts = new AttemptCounter();
        if (mlflow.TrackingUri is not null)
        {
            builder.Services.AddMlflowClient(options =>
            {
                options.TrackingUri = mlflow.TrackingUri;
                options.Token = mlflow.Token;
                options.Username = mlflow.Username;
                options.Password = mlflow.Password;
            }).AddHttpMessageHandler(() => attempts);
        }

        using var host = builder.Build();
        await host.StartAsync(ct).ConfigureAwait(false);
        // One trace per command: the pipeline's stages, every call to tracking (and, through the tracking server,
        // its database commands) are its children, so the dashboard shows the run as one waterfall.
        var activity = TrainerTelemetry.ActivitySource.StartActivity(command == "train" ? "training run" : $"{command} run");
        activity?.SetTag("mlops.data.path", request.DataPath);
        activity?.SetTag("mlops.tracking", mlflow.TrackingUri is not null);
        try
        {
            var loggers = host.Services.GetRequiredService<ILoggerFactory>();
            using var lightGbmLog = LightGbmLog.RouteTo(loggers.CreateLogger("LightGBM"));
            var reporter = new ConsoleTrainingReporter(context.Console, loggers.CreateLogger("MlOps.Trainer"));
            var outcome = mlflow.TrackingUri is null
                ? await work(null, reporter, ct).ConfigureAwait(false)
                : await RunTrackedAsync(context, host.Services.GetRequiredService<MlflowClient>(), command, tracking, request, reporter, work, ct)
                    .ConfigureAwait(false);
            var card = outcome.Card;
            context.Console.MarkupLineInterpolated(
                $"[green]model written to {outcome.ModelDirectory}[/]: test ROC-AUC {card.TestMetrics["roc_auc"]:F4}, PR-AUC {card.TestMetrics["pr_auc"]:F4}, threshold {card.Threshold.Value:F4}, parity max |Δp| {card.Parity.MaxAbsProbabilityDelta:E1}");
            return TrainerCli.Ok;
        }
        catch (MlflowException e) when (e.HttpStatus is null && e.ErrorCode == KnownMlflowErrorCodes.TemporarilyUnavailable)
        {
            var where = new UriBuilder(mlflow.TrackingUri!) { UserName = string.Empty, Password = string.Empty }.Uri;
            throw new TrackingUnavailableException(
                $"tracking server {where} unreachable after {Math.Max(attempts.FailedAttempts, 1)} attempts: {(e.InnerException ?? e).Message}", e);
        }
        catch (Exception e)
        {
            activity?.SetStatus(ActivityStatusCode.Error, e.Message);
            throw;
        }
        finally
        {
            activity?.Dispose();

            // Stopping the host flushes the exporters, so the last spans reach the dashboard.
            await host.StopAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    private static async Task<TrainingOutcome> RunTrackedAsync(
        CliContext context, MlflowClient client, string command, TrackingSettings tracking, TrainingRequest request,
        ITrainingReporter reporter, Work work, CancellationToken ct)
    {
        var session = await TrackingSession.StartAsync(client, tracking, request, ct, command).ConfigureAwait(false);
        await using (session.ConfigureAwait(false))
        {
            foreach (var note in session.Notes)
            {
                context.Console.MarkupLineInterpolated($"[yellow]![/] {note}");
            }

            context.Console.MarkupLineInterpolated($"[grey]·[/] MLflow run {session.Run.RunId} in experiment '{tracking.Experiment}' at {client.BaseAddress}");
            var tracked = new TrackingReporter(reporter, session.Metrics);
            try
            {
                var outcome = await work(session, tracked, ct).ConfigureAwait(false);
                var decision = await session.CompleteAsync(outcome, tracked.TraceId, ct).ConfigureAwait(false);
                if (decision is not null)
                {
                    context.Console.MarkupLineInterpolated($"[green]registered[/] {decision.Describe()}");
                }

                return outcome;
            }
            catch (Exception e)
            {
                await session.FailAsync(e, cancelled: e is OperationCanceledException && ct.IsCancellationRequested).ConfigureAwait(false);
                throw;
            }
        }
    }
}
