using System.Globalization;
using System.Text;

namespace MlOps.Trainer.LightGbm;

/// <summary>What early stopping watches on the validation set.</summary>
public enum EarlyStoppingMetric
{
    /// <summary>Binary log loss: smooth, so small validation sets give a stable stopping point.</summary>
    LogLoss,

    /// <summary>Average precision (PR-AUC): what the model is judged by, but a step function on few positives.</summary>
    PrAuc,
}

/// <summary>
/// LightGBM hyper-parameters for binary classification of imbalanced (fraud) data. The defaults favour many small
/// learning-rate steps with early stopping, bagging for variance, and minimum leaf sizes that keep rare positives
/// from producing one-row leaves.
/// </summary>
public sealed record LightGbmParameters
{
    public int NumIterations { get; init; } = 500;

    public double LearningRate { get; init; } = 0.05;

    public int NumLeaves { get; init; } = 31;

    /// <summary>-1 = no depth limit (num_leaves bounds the tree).</summary>
    public int MaxDepth { get; init; } = -1;

    public int MinDataInLeaf { get; init; } = 50;

    public double MinSumHessianInLeaf { get; init; } = 1e-3;

    public double FeatureFraction { get; init; } = 0.9;

    public double BaggingFraction { get; init; } = 0.8;

    public int BaggingFrequency { get; init; } = 1;

    public double LambdaL1 { get; init; }

    public double LambdaL2 { get; init; } = 1;

    public int MaxBin { get; init; } = 255;

    /// <summary>Stop when the validation metric has not improved for this many iterations (0 = never stop early).</summary>
    public int EarlyStoppingRounds { get; init; } = 50;

    /// <summary>The validation metric early stopping watches.</summary>
    public EarlyStoppingMetric EarlyStoppingMetric { get; init; } = EarlyStoppingMetric.LogLoss;

    /// <summary>
    /// Weight of positive rows (LightGBM's scale_pos_weight); null = unweighted, which keeps probabilities
    /// calibrated. <see cref="SqrtScalePositiveWeight"/> and <see cref="BalancedScalePositiveWeight"/> derive one
    /// from the labels.
    /// </summary>
    public double? ScalePositiveWeight { get; init; }

    public int MaxCategoryToOneHot { get; init; } = 4;

    public double CatSmooth { get; init; } = 10;

    public int MinDataPerGroup { get; init; } = 50;

    public int Seed { get; init; } = 42;

    /// <summary>0 = <see cref="Environment.ProcessorCount"/>; the resolved number is always written explicitly.</summary>
    public int NumThreads { get; init; }

    /// <summary>"cpu" or "cuda" (LightGBM's device_type).</summary>
    public string Device { get; init; } = "cpu";

    /// <summary>The thread count LightGBM is given.</summary>
    public int ResolvedNumThreads => NumThreads > 0 ? NumThreads : Environment.ProcessorCount;

    /// <summary>sqrt(negatives / positives) for 0/1 labels; 1 when either class is absent.</summary>
    public static double SqrtScalePositiveWeight(IReadOnlyList<float> labels) => Math.Sqrt(BalancedScalePositiveWeight(labels));

    /// <summary>negatives / positives for 0/1 labels; 1 when either class is absent.</summary>
    public static double BalancedScalePositiveWeight(IReadOnlyList<float> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        long positives = 0;
        foreach (var label in labels)
        {
            if (label > 0.5f)
            {
                positives++;
            }
        }

        var negatives = labels.Count - positives;
        return positives == 0 || negatives == 0 ? 1.0 : (double)negatives / positives;
    }

    /// <summary>
    /// LightGBM's space-separated <c>key=value</c> parameter string, always in the same order and formatted with the
    /// invariant culture, so equal parameters give byte-identical strings (and models).
    /// </summary>
    public string ToParameterString(IReadOnlyList<int> categoricalFeatureIndices)
    {
        ArgumentNullException.ThrowIfNull(categoricalFeatureIndices);
        if (Device is not ("cpu" or "cuda"))
        {
            throw new ArgumentException($"Device must be \"cpu\" or \"cuda\", not \"{Device}\".", nameof(categoricalFeatureIndices));
        }

        var pairs = new List<KeyValuePair<string, string>>
        {
            new("objective", "binary"),
            new("metric", "binary_logloss"),
            new("boosting", "gbdt"),
            new("num_iterations", Format(NumIterations)),
            new("learning_rate", Format(LearningRate)),
            new("num_leaves", Format(NumLeaves)),
            new("max_depth", Format(MaxDepth)),
            new("min_data_in_leaf", Format(MinDataInLeaf)),
            new("min_sum_hessian_in_leaf", Format(MinSumHessianInLeaf)),
            new("feature_fraction", Format(FeatureFraction)),
            new("bagging_fraction", Format(BaggingFraction)),
            new("bagging_freq", Format(BaggingFrequency)),
            new("lambda_l1", Format(LambdaL1)),
            new("lambda_l2", Format(LambdaL2)),
            new("max_bin", Format(MaxBin)),
        };
        if (ScalePositiveWeight is { } scale)
        {
            pairs.Add(new("scale_pos_weight", Format(scale)));
        }

        pairs.AddRange(
        [
            new("max_cat_to_onehot", Format(MaxCategoryToOneHot)),
            new("cat_smooth", Format(CatSmooth)),
            new("min_data_per_group", Format(MinDataPerGroup)),
            new("seed", Format(Seed)),
            new("bagging_seed", Format(DerivedSeed(1))),
            new("feature_fraction_seed", Format(DerivedSeed(2))),
            new("data_random_seed", Format(DerivedSeed(3))),
            new("drop_seed", Format(DerivedSeed(4))),
            new("deterministic", "true"),
            new("force_row_wise", "true"),
            new("num_threads", Format(ResolvedNumThreads)),
            // Warnings reach the trainer's log through LightGbmLog; info lines would be debug noise.
            new("verbosity", "0"),
            new("device_type", Device),
            new("use_missing", "true"),
            new("zero_as_missing", "false"),
        ]);
        if (categoricalFeatureIndices.Count > 0)
        {
            pairs.Add(new(
                "categorical_feature",
                string.Join(',', categoricalFeatureIndices.Order().Select(i => i.ToString(CultureInfo.InvariantCulture)))));
        }

        var builder = new StringBuilder();
        foreach (var (key, value) in pairs)
        {
            if (builder.Length > 0)
            {
                builder.Append(' ');
            }

            builder.Append(key).Append('=').Append(value);
        }

        return builder.ToString();
    }

    private int DerivedSeed(int offset) => unchecked(Seed + offset);

    private static string Format(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
