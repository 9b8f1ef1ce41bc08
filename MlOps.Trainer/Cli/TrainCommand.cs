using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MlOps.Trainer.Devices;
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

        command.SetAction((parse, ct) => RunAsync(context, o.ToRequest(parse), ct));
        return command;
    }

    private static async Task<int> RunAsync(CliContext context, TrainingRequest request, CancellationToken ct)
    {
        // A host gives the trainer the same OpenTelemetry setup as every service (OTLP only when configured).
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ApplicationName = "mlops-trainer", Args = [] });
        builder.Logging.ClearProviders();
        builder.AddServiceDefaults(TrainerTelemetry.Name);
        using var host = builder.Build();
        await host.StartAsync(ct).ConfigureAwait(false);
        try
        {
            var logger = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("MlOps.Trainer");
            var reporter = new ConsoleTrainingReporter(context.Console, logger);
            var outcome = await new TrainingPipeline(request, reporter, new SystemGpuEnvironment()).RunAsync(ct).ConfigureAwait(false);
            var card = outcome.Card;
            context.Console.MarkupLineInterpolated(
                $"[green]model written to {outcome.ModelDirectory}[/]: test ROC-AUC {card.TestMetrics["roc_auc"]:F4}, PR-AUC {card.TestMetrics["pr_auc"]:F4}, threshold {card.Threshold.Value:F4}, parity max |Δp| {card.Parity.MaxAbsProbabilityDelta:E1}");
            return TrainerCli.Ok;
        }
        finally
        {
            // Stopping the host flushes the exporters, so the last spans reach the dashboard.
            await host.StopAsync(CancellationToken.None).ConfigureAwait(false);
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
        public Option<double?> MinPrecision { get; } = new("--min-precision") { Description = "Choose the threshold with at least this validation precision instead of max F1." };

        public IEnumerable<Option> All =>
        [
            Data, Label, Positive, Config, Output, Seed, Device, ModelName, AllowMismatch,
            Iterations, LearningRate, NumLeaves, MaxDepth, MinDataInLeaf, EarlyStopping, Threads, MinPrecision,
        ];

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
