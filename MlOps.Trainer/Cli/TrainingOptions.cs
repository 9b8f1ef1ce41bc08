using System.CommandLine;
using System.Globalization;
using MlOps.Trainer.Devices;
using MlOps.Trainer.Tracking;
using MlOps.Trainer.Training;

namespace MlOps.Trainer.Cli;

/// <summary>The options <c>train</c> and <c>tune</c> share: data, label, config overrides, output, tracking and promotion.</summary>
internal sealed class TrainingOptions
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
    public Option<int?> EarlyStopping { get; } = new("--early-stopping-rounds") { Description = "Stop after this many rounds without validation logloss gain (0 = off: all iterations are kept)." };
    public Option<int?> Threads { get; } = new("--threads") { Description = "Training threads (0 = one per core)." };
    public Option<string> Experiment { get; } = new("--experiment") { Description = "MLflow experiment of the run (when MLFLOW_TRACKING_URI is set).", DefaultValueFactory = _ => "fraud-detection" };
    public Option<double> PromotionMinGain { get; } = new("--promotion-min-gain", "--promotion-margin") { Description = "The PR-AUC gain over production (both scored on the new test rows) that the whole bootstrap interval must reach for the new version to become production; negative allows that much worse.", DefaultValueFactory = _ => 0.0 };
    public Option<double> PromotionConfidence { get; } = new("--promotion-confidence") { Description = "Level of the paired bootstrap interval of the PR-AUC gain (0.5–0.999).", DefaultValueFactory = _ => 0.95 };
    public Option<bool> NoRegister { get; } = new("--no-register") { Description = "Log the MLflow run but register no model version." };
    public Option<double?> MinPrecision { get; } = new("--min-precision") { Description = "Choose the threshold with at least this validation precision instead of max F1." };
    public Option<string?> ClassWeight { get; } = new("--class-weight") { Description = "Weighting of the positive class: none (default), balanced (neg/pos) or sqrt (√(neg/pos))." };
    public Option<string?> Refit { get; } = new("--refit") { Description = "Train the final model again on train + validation with the early-stopped number of trees: auto (when validation adds ≥ 10% rows; default), on or off." };

    public IEnumerable<Option> All =>
    [
        Data, Label, Positive, Config, Output, Seed, Device, ModelName, AllowMismatch,
        Iterations, LearningRate, NumLeaves, MaxDepth, MinDataInLeaf, EarlyStopping, ClassWeight, Refit, Threads, MinPrecision,
        Experiment, PromotionMinGain, PromotionConfidence, NoRegister,
    ];

    public TrackingSettings ToTracking(ParseResult parse) => new(
        parse.GetRequiredValue(Experiment),
        parse.GetRequiredValue(ModelName),
        new PromotionSettings(parse.GetValue(PromotionMinGain), ParseConfidence(parse.GetValue(PromotionConfidence))),
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
                ClassWeight = parse.GetValue(ClassWeight) is { } weight ? ParseClassWeight(weight) : h.ClassWeight,
            },
            Refit = parse.GetValue(Refit) is { } refit ? ParseRefit(refit) : config.Refit,
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

    private static double ParseConfidence(double value) => value is >= 0.5 and <= 0.999
        ? value
        : throw new BadInputException($"--promotion-confidence {value}: expected a level between 0.5 and 0.999.");

    private static RefitMode ParseRefit(string value) => value.ToLower(CultureInfo.InvariantCulture) switch
    {
        "auto" => RefitMode.Auto,
        "on" => RefitMode.On,
        "off" => RefitMode.Off,
        _ => throw new BadInputException($"--refit {value}: expected auto, on or off."),
    };

    private static ClassWeight ParseClassWeight(string value) => value.ToLower(CultureInfo.InvariantCulture) switch
    {
        "none" => Training.ClassWeight.None,
        "balanced" => Training.ClassWeight.Balanced,
        "sqrt" => Training.ClassWeight.Sqrt,
        _ => throw new BadInputException($"--class-weight {value}: expected none, balanced or sqrt."),
    };

    private static DeviceRequest ParseDevice(string value) => value.ToLower(CultureInfo.InvariantCulture) switch
    {
        "auto" => DeviceRequest.Auto,
        "cpu" => DeviceRequest.Cpu,
        "cuda" or "gpu" => DeviceRequest.Cuda,
        _ => throw new BadInputException($"--device {value}: expected auto, cpu or cuda."),
    };
}
