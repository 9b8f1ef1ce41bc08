using System.Text.Json;
using System.Text.Json.Serialization;
using MlOps.Trainer.LightGbm;

namespace MlOps.Trainer.Training;

/// <summary>
/// The optional <c>--config FILE.json</c> of <c>train</c>. Every field has a default; command-line options override
/// the file. Names are snake_case, as in MLflow params.
/// </summary>
public sealed record TrainingConfig
{
    public FeatureConfig Features { get; init; } = new();

    public SplitConfig Split { get; init; } = new();

    public ThresholdConfig Threshold { get; init; } = new();

    [JsonPropertyName("lightgbm")]
    public HyperParameters LightGbm { get; init; } = new();

    /// <summary>
    /// After early stopping has chosen the number of trees on validation, train the final model again on train +
    /// validation with that number (the threshold stays chosen on validation scores; test stays untouched).
    /// </summary>
    public RefitMode Refit { get; init; } = RefitMode.Auto;

    internal static readonly JsonSerializerOptions s_json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
        WriteIndented = true,
    };

    /// <summary>Reads a config file; any problem is a <see cref="BadInputException"/> naming the file.</summary>
    public static TrainingConfig Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new BadInputException($"{path}: config file not found.");
        }

        return Parse(File.ReadAllText(path), path);
    }

    /// <summary>Reads a config from JSON text; <paramref name="source"/> names it in errors.</summary>
    public static TrainingConfig Parse(string json, string source)
    {
        var path = source;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions
            {
                CommentHandling = JsonCommentHandling.Skip,
                AllowTrailingCommas = true,
            });
        }
        catch (JsonException ex)
        {
            throw new BadInputException(
                $"{path}: not valid JSON (line {(ex.LineNumber ?? 0) + 1}, column {(ex.BytePositionInLine ?? 0) + 1}).", ex);
        }

        using (document)
        {
            // Keys and value kinds first: the serializer's own messages name .NET types, not the config's keys.
            ConfigKeys.Check(path, document.RootElement, typeof(TrainingConfig), JsonNamingPolicy.SnakeCaseLower);
            var config = document.RootElement.Deserialize<TrainingConfig>(s_json)
                ?? throw new BadInputException($"{path}: config file is empty.");
            config.Validate(path);
            return config;
        }
    }

    /// <summary>Checks ranges; the message names the config field.</summary>
    public void Validate(string source)
    {
        static void Require(bool ok, string source, string message)
        {
            if (!ok)
            {
                throw new BadInputException($"{source}: {message}");
            }
        }

        Require(Split.Validation is > 0 and < 1, source, "split.validation must be between 0 and 1.");
        Require(Split.Test is > 0 and < 1, source, "split.test must be between 0 and 1.");
        Require(Split.Validation + Split.Test < 0.9, source, "split.validation + split.test must leave at least 10% for training.");
        Require(Split.MaxValidationRows >= 0 && Split.MaxTestRows >= 0, source, "split.max_validation_rows and max_test_rows must be 0 (no limit) or more.");
        Require(Threshold.MinPrecision is null or (> 0 and <= 1), source, "threshold.min_precision must be in (0, 1].");
        Require(LightGbm.NumIterations is > 0 and <= 100_000, source, "lightgbm.num_iterations must be between 1 and 100000.");
        Require(LightGbm.LearningRate is > 0 and <= 1, source, "lightgbm.learning_rate must be in (0, 1].");
        Require(LightGbm.NumLeaves is >= 2 and <= 131_072, source, "lightgbm.num_leaves must be between 2 and 131072.");
        Require(LightGbm.MinDataInLeaf >= 1, source, "lightgbm.min_data_in_leaf must be at least 1.");
        Require(LightGbm.FeatureFraction is > 0 and <= 1, source, "lightgbm.feature_fraction must be in (0, 1].");
        Require(LightGbm.BaggingFraction is > 0 and <= 1, source, "lightgbm.bagging_fraction must be in (0, 1].");
        Require(LightGbm.EarlyStoppingRounds >= 0, source, "lightgbm.early_stopping_rounds must be 0 (off) or more.");
        Require(LightGbm.NumThreads >= 0, source, "lightgbm.num_threads must be 0 (all cores) or more.");
        Require(LightGbm.ScalePosWeight is null or > 0, source, "lightgbm.scale_pos_weight must be positive.");
        Require(LightGbm.MaxDepth is -1 or >= 1, source, "lightgbm.max_depth must be -1 (no limit) or at least 1.");
        Require(LightGbm.LambdaL1 >= 0 && LightGbm.LambdaL2 >= 0, source, "lightgbm.lambda_l1 and lambda_l2 must be 0 or more.");
        Require(LightGbm.MaxBin is >= 2 and <= 65_535, source, "lightgbm.max_bin must be between 2 and 65535.");
        Require(LightGbm.BaggingFrequency >= 0, source, "lightgbm.bagging_frequency must be 0 (off) or more.");
    }
}

/// <summary>Whether the final model is trained again on train + validation.</summary>
public enum RefitMode
{
    /// <summary>When validation adds at least 10% to the training rows: doubling the boosting time for less buys little.</summary>
    Auto,

    /// <summary>Always.</summary>
    On,

    /// <summary>Never: the early-stopped model is exported.</summary>
    Off,
}

/// <summary>Which columns are features. Without it: numeric and string columns, minus ids and timestamps.</summary>
public sealed record FeatureConfig
{
    public IReadOnlyList<string>? Include { get; init; }

    public IReadOnlyList<string>? Exclude { get; init; }

    public IReadOnlyList<string>? Categorical { get; init; }

    public int MaxCategories { get; init; } = 1000;
}

/// <summary>How rows are divided into train, validation (early stopping, threshold) and test (reported metrics).</summary>
public sealed record SplitConfig
{
    public double Validation { get; init; } = 0.15;

    public double Test { get; init; } = 0.15;

    /// <summary>At most this many validation rows (0 = no limit): beyond it, more rows for training help more.</summary>
    public int MaxValidationRows { get; init; } = 50_000;

    /// <summary>At most this many test rows (0 = no limit).</summary>
    public int MaxTestRows { get; init; } = 50_000;

    /// <summary>When set, the split is by time: the oldest rows train, the newest test.</summary>
    public string? TimestampColumn { get; init; }
}

/// <summary>How the decision threshold is chosen on the validation split.</summary>
public sealed record ThresholdConfig
{
    /// <summary>When set, the lowest threshold whose validation precision reaches it; otherwise max F1.</summary>
    public double? MinPrecision { get; init; }
}

/// <summary>How positive rows are weighted in training.</summary>
public enum ClassWeight
{
    /// <summary>Every row counts the same: probabilities stay calibrated (the default).</summary>
    None,

    /// <summary>Positives weighted by negatives / positives, as if both classes were equally frequent.</summary>
    Balanced,

    /// <summary>Positives weighted by sqrt(negatives / positives): a milder correction.</summary>
    Sqrt,
}

/// <summary>The LightGBM hyperparameters the trainer exposes (all logged as MLflow params).</summary>
public sealed record HyperParameters
{
    public int NumIterations { get; init; } = 500;

    public double LearningRate { get; init; } = 0.05;

    public int NumLeaves { get; init; } = 15;

    public int MaxDepth { get; init; } = -1;

    public int MinDataInLeaf { get; init; } = 20;

    public double FeatureFraction { get; init; } = 0.9;

    public double BaggingFraction { get; init; } = 0.8;

    public int BaggingFrequency { get; init; } = 1;

    public double LambdaL1 { get; init; }

    public double LambdaL2 { get; init; } = 1.0;

    public int MaxBin { get; init; } = 255;

    /// <summary>Stop when validation PR-AUC has not improved for this many rounds; 0 = off (all iterations kept).</summary>
    public int EarlyStoppingRounds { get; init; } = 50;

    /// <summary>
    /// What early stopping watches on validation: log_loss (smooth) or pr_auc; null = log_loss when unweighted, pr_auc
    /// when positives are weighted (weighting shifts every probability, so the log loss rises from the first tree).
    /// </summary>
    public EarlyStoppingMetric? EarlyStoppingMetric { get; init; }

    /// <summary>How positives are weighted; <see cref="ScalePosWeight"/>, when set, overrides it.</summary>
    public ClassWeight ClassWeight { get; init; } = ClassWeight.None;

    /// <summary>An explicit weight of the positive class (LightGBM's scale_pos_weight); null = from <see cref="ClassWeight"/>.</summary>
    public double? ScalePosWeight { get; init; }

    /// <summary>Threads for training; 0 means one per core. Fixed threads keep results reproducible.</summary>
    public int NumThreads { get; init; }
}
