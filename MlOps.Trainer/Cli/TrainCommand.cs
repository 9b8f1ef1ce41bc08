using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MlOps.Mlflow;
using MlOps.Trainer.Devices;
using MlOps.Trainer.Tracking;
using MlOps.Trainer.Training;
using Spectre.Console;

namespace MlOps.Trainer.Cli;

/// <summary><c>train --data FILE --label COLUMN …</c>: train, evaluate, export and verify a model folder.</summary>
internal static class TrainCommand
{
    public static Command Create(CliContext context)
    {
        var o = new TrainOptions();
        var command = new Command("train", "Train a LightGBM binary classifier and export a verified ONNX model folder to DIR/model/.");
        foreach (var option in o.All)
        {
            command.Options.Add(option);
        }

        command.SetAction((parse, ct) => RunAsync(context, o.ToRequest(parse), o.ToTracking(parse), ct));
        return command;
    }

    private static async Task<int> RunAsync(CliContext context, TrainingRequest request, TrackingSettings tracking, CancellationToken ct)
    {
        // A .dvc-tracked file that is not here yet comes from the default remote first (the seed's `dvc pull`).
        await TrainDataPresence.EnsureAsync(context, request.DataPath, ct).ConfigureAwait(false);

        // Tracking is on only when MLFLOW_TRACKING_URI is set; without it the trainer works offline as before.
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
        // One trace per training run: the pipeline's stages, every call to tracking (and, through the tracking server,
        // its database commands) are its children, so the dashboard shows the run as one waterfall.
        var run = TrainerTelemetry.ActivitySource.StartActivity("training run");
        run?.SetTag("mlops.data.path", request.DataPath);
        run?.SetTag("mlops.tracking", mlflow.TrackingUri is not null);
        try
        {
            var logger = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("MlOps.Trainer");
            var reporter = new ConsoleTrainingReporter(context.Console, logger);
            var outcome = mlflow.TrackingUri is null
                ? await new TrainingPipeline(request, reporter, new SystemGpuEnvironment()).RunAsync(ct).ConfigureAwait(false)
                : await RunTrackedAsync(context, host.Services.GetRequiredService<MlflowClient>(), tracking, request, reporter, ct)
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
            run?.SetStatus(ActivityStatusCode.Error, e.Message);
            throw;
        }
        finally
        {
            run?.Dispose();

            // Stopping the host flushes the exporters, so the last spans reach the dashboard.
            await host.StopAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    private static async Task<TrainingOutcome> RunTrackedAsync(
        CliContext context, MlflowClient client, TrackingSettings tracking, TrainingRequest request, ITrainingReporter reporter, CancellationToken ct)
    {
        var session = await TrackingSession.StartAsync(client, tracking, request, ct).ConfigureAwait(false);
        await using (session.ConfigureAwait(false))
        {
            context.Console.MarkupLineInterpolated($"[grey]·[/] MLflow run {session.Run.RunId} in experiment '{tracking.Experiment}' at {client.BaseAddress}");
            var tracked = new TrackingReporter(reporter, session.Metrics);
            try
            {
                var outcome = await new TrainingPipeline(request, tracked, new SystemGpuEnvironment()).RunAsync(ct).ConfigureAwait(false);
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

    private sealed class TrainOptions
    {
        public Option<string> Data { get; } = new("--data") { Description = "Training data (.csv or .parquet).", Required = true };
        public Option<string> Label { get; } = new("--label") { Description = "The binary label column.", Required = true };
        public Option<string?> Positive { get; } = new("--positive") { Description = "The label value of the positive class (inferred when omitted)." };
        public Option<string?> Config { get; } = new("--config") { Description = "JSON config: features, split, threshold, lightgbm hyperparameters." };
        public Option<string> Output { get; } = new("--output") { Description = "Output folder; the model goes to DIR/model/.", DefaultValueFactory = _ => "out" };
        public Option<int> Seed { get; } = new("--seed") { Description = "Seed for the split, bagging and feature sampling.", DefaultValueFactory = _ => 42 };
        public Option<string> Device { get; } = new("--device") { Description = "auto (CUDA when available), cpu or cuda.", DefaultValueFactory = _ => "auto" };
        public Option<string> ModelName { get; } = new("--model-name") { Description = "Model name.", DefaultValueFactory = _ => "fraud-detector" };
        public Option<bool> AllowMismatch { get; } = new("--allow-data-mismatch") { Description = "Train even when the data does not match its .dvc pointer." };
        public Option<int?> Iterations { get; } = new("--iterations") { Description = "Maximum boosting iterations (lightgbm.num_iterations)." };
        public Option<double?> LearningRate { get; } = new("--learning-rate") { Description = "Learning rate." };
        public Option<int?> NumLeaves { get; } = new("--num-leaves") { Description = "Maximum leaves per tree." };
        public Option<int?> MaxDepth { get; } = new("--max-depth") { Description = "Maximum tree depth (-1 = no limit)." };
        public Option<int?> MinDataInLeaf { get; } = new("--min-data-in-leaf") { Description = "Minimum rows per leaf." };
        public Option<int?> EarlyStopping { get; } = new("--early-stopping-rounds") { Description = "Stop after this many rounds without validation PR-AUC gain (0 = off)." };
        public Option<int?> Threads { get; } = new("--threads") { Description = "Training threads (0 = one per core)." };
        public Option<string> Experiment { get; } = new("--experiment") { Description = "MLflow experiment of the run (when MLFLOW_TRACKING_URI is set).", DefaultValueFactory = _ => "fraud-detection" };
        public Option<double> PromotionMargin { get; } = new("--promotion-margin") { Description = "The new version becomes production only if its test PR-AUC is at least production's plus this.", DefaultValueFactory = _ => 0.0 };
        public Option<bool> NoRegister { get; } = new("--no-register") { Description = "Log the MLflow run but register no model version." };
        public Option<double?> MinPrecision { get; } = new("--min-precision") { Description = "Choose the threshold with at least this validation precision instead of max F1." };

        public IEnumerable<Option> All =>
        [
            Data, Label, Positive, Config, Output, Seed, Device, ModelName, AllowMismatch,
            Iterations, LearningRate, NumLeaves, MaxDepth, MinDataInLeaf, EarlyStopping, Threads, MinPrecision,
            Experiment, PromotionMargin, NoRegister,
        ];

        public TrackingSettings ToTracking(ParseResult parse) => new(
            parse.GetRequiredValue(Experiment),
            parse.GetRequiredValue(ModelName),
            parse.GetValue(PromotionMargin),
            !parse.GetValue(NoRegister));

        public TrainingRequest ToRequest(ParseResult parse)
        {
            var configPath = parse.GetValue(Config);
            var config = configPath is null ? new TrainingConfig() : TrainingConfig.Load(configPath);
            var h = config.LightGbm;
            config = config with
            {
                LightGbm = h with
                {
                    NumIterations = parse.GetValue(Iterations) ?? h.NumIterations,
                    LearningRate = parse.GetValue(LearningRate) ?? h.LearningRate,
                    NumLeaves = parse.GetValue(NumLeaves) ?? h.NumLeaves,
                    MaxDepth = parse.GetValue(MaxDepth) ?? h.MaxDepth,
                    MinDataInLeaf = parse.GetValue(MinDataInLeaf) ?? h.MinDataInLeaf,
                    EarlyStoppingRounds = parse.GetValue(EarlyStopping) ?? h.EarlyStoppingRounds,
                    NumThreads = parse.GetValue(Threads) ?? h.NumThreads,
                },
                Threshold = parse.GetValue(MinPrecision) is { } p ? config.Threshold with { MinPrecision = p } : config.Threshold,
            };
            config.Validate("command line");

            return new TrainingRequest
            {
                DataPath = parse.GetRequiredValue(Data),
                LabelColumn = parse.GetRequiredValue(Label),
                PositiveValue = parse.GetValue(Positive),
                OutputDirectory = parse.GetRequiredValue(Output),
                Config = config,
                Seed = parse.GetValue(Seed),
                Device = ParseDevice(parse.GetRequiredValue(Device)),
                ModelName = parse.GetRequiredValue(ModelName),
                AllowDataMismatch = parse.GetValue(AllowMismatch),
            };
        }

        private static DeviceRequest ParseDevice(string value) => value.ToLower(CultureInfo.InvariantCulture) switch
        {
            "auto" => DeviceRequest.Auto,
            "cpu" => DeviceRequest.Cpu,
            "cuda" or "gpu" => DeviceRequest.Cuda,
            _ => throw new BadInputException($"--device {value}: expected auto, cpu or cuda."),
        };
    }
}
