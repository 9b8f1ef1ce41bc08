namespace MlOps.Mlflow;

/// <summary>An MLflow experiment: a named group of runs.</summary>
public sealed record Experiment
{
    /// <summary>The experiment id: a string holding an integer (<c>"0"</c> is <c>Default</c>).</summary>
    public string ExperimentId { get; init; } = string.Empty;

    /// <summary>The unique experiment name.</summary>
    public string Name { get; init; } = string.Empty;

    /// <summary>Where the experiment's runs store artifacts, e.g. <c>mlflow-artifacts:/1</c>.</summary>
    public string ArtifactLocation { get; init; } = string.Empty;

    /// <summary><c>active</c> or <c>deleted</c>.</summary>
    public string LifecycleStage { get; init; } = string.Empty;

    /// <summary>When the experiment was last updated, in milliseconds since the Unix epoch.</summary>
    public long LastUpdateTime { get; init; }

    /// <summary>When the experiment was created, in milliseconds since the Unix epoch.</summary>
    public long CreationTime { get; init; }

    /// <summary>The experiment's tags.</summary>
    public IReadOnlyList<KeyValueTag> Tags { get; init; } = [];
}

/// <summary>A key and a value: the tag shape of experiments, registered models and model versions.</summary>
/// <param name="Key">The tag key.</param>
/// <param name="Value">The tag value.</param>
public sealed record KeyValueTag(string Key, string Value = "");
