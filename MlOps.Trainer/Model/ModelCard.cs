using System.Text.Json;
using System.Text.Json.Serialization;

namespace MlOps.Trainer.Model;

/// <summary>
/// <c>model-card.json</c>: what a reviewer needs to trust a model — data version, features, metrics, threshold,
/// parameters, parity figures and the environment that produced it. Serving reads the threshold and categories.
/// </summary>
public sealed record ModelCard
{
    public required string ModelName { get; init; }

    public required string ModelUuid { get; init; }

    public required DateTime CreatedUtc { get; init; }

    public required DataInfo Data { get; init; }

    public required string Label { get; init; }

    public required string PositiveValue { get; init; }

    public required IReadOnlyList<CardFeature> Features { get; init; }

    public required IReadOnlyList<ExcludedFeature> ExcludedColumns { get; init; }

    public required SplitInfo Split { get; init; }

    public required ThresholdInfo Threshold { get; init; }

    public required IReadOnlyDictionary<string, double> TestMetrics { get; init; }

    public required IReadOnlyDictionary<string, double> ValidationMetrics { get; init; }

    public required ConfusionInfo ConfusionMatrix { get; init; }

    public required IReadOnlyDictionary<string, string> Parameters { get; init; }

    /// <summary>The number of trees in the exported model.</summary>
    public required int BestIteration { get; init; }

    /// <summary>How the number of trees was chosen (absent in cards written before it existed).</summary>
    public BoostingInfo? Boosting { get; init; }

    public required ParityInfo Parity { get; init; }

    public required TrainingInfo Training { get; init; }

    public required EnvironmentInfo Environment { get; init; }

    internal static readonly JsonSerializerOptions s_json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public string ToJson() => JsonSerializer.Serialize(this, s_json) + "\n";

    public static ModelCard FromJson(string json) =>
        JsonSerializer.Deserialize<ModelCard>(json, s_json) ?? throw new InvalidDataException("model-card.json is empty.");
}

public sealed record DataInfo(string File, string Md5, long SizeBytes, int Rows, int Columns, string? PointerFile, string Format);

public sealed record CardFeature(string Name, string Type, IReadOnlyList<string>? Categories);

public sealed record ExcludedFeature(string Name, string Reason);

public sealed record SplitInfo(string Method, int TrainRows, int ValidationRows, int TestRows, int TrainPositives, int Seed);

public sealed record ThresholdInfo(double Value, string Strategy, string Reason);

public sealed record ConfusionInfo(long TruePositives, long FalsePositives, long TrueNegatives, long FalseNegatives);

/// <summary>
/// Early stopping and refit: <paramref name="EarlyStoppingRounds"/> 0 means off (every iteration kept);
/// <paramref name="BestIteration"/> is chosen on validation, <paramref name="Trees"/> is what the exported model
/// has, trained on <paramref name="TrainedRows"/> rows (train + validation when <paramref name="Refit"/>).
/// </summary>
public sealed record BoostingInfo(
    int EarlyStoppingRounds, int IterationsRun, int BestIteration, int Trees, bool Refit, int TrainedRows, string ClassWeight, double ScalePosWeight);

public sealed record ParityInfo(int Rows, double MaxAbsProbabilityDelta, int LabelMismatches, double Tolerance, bool Passed);

public sealed record TrainingInfo(double Seconds, double RowsPerSecond, string Device, string DeviceReason, int Threads, double LoadSeconds);

public sealed record EnvironmentInfo(
    string DotNetVersion,
    string Os,
    string Architecture,
    string TrainerVersion,
    string? GitCommit,
    IReadOnlyDictionary<string, string> Packages);
