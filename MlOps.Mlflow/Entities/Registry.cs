namespace MlOps.Mlflow;

/// <summary>A registered model: a name under which versions are registered.</summary>
public sealed record RegisteredModel
{
    /// <summary>The unique model name.</summary>
    public string Name { get; init; } = string.Empty;

    /// <summary>When it was created, in milliseconds since the Unix epoch.</summary>
    public long CreationTimestamp { get; init; }

    /// <summary>When it was last updated, in milliseconds since the Unix epoch.</summary>
    public long LastUpdatedTimestamp { get; init; }

    /// <summary>A free-text description.</summary>
    public string Description { get; init; } = string.Empty;

    /// <summary>The latest version per stage.</summary>
    public IReadOnlyList<ModelVersion> LatestVersions { get; init; } = [];

    /// <summary>The model's tags.</summary>
    public IReadOnlyList<KeyValueTag> Tags { get; init; } = [];

    /// <summary>The aliases and the versions they point to.</summary>
    public IReadOnlyList<RegisteredModelAlias> Aliases { get; init; } = [];
}

/// <summary>An alias of a registered model and the version it points to.</summary>
/// <param name="Alias">The alias, e.g. <c>production</c>.</param>
/// <param name="Version">The version number as a string.</param>
public sealed record RegisteredModelAlias(string Alias, string Version);

/// <summary>One version of a registered model.</summary>
public sealed record ModelVersion
{
    /// <summary>The registered model's name.</summary>
    public string Name { get; init; } = string.Empty;

    /// <summary>The version number as a string (<c>"1"</c>, <c>"2"</c>, …).</summary>
    public string Version { get; init; } = string.Empty;

    /// <summary>When it was created, in milliseconds since the Unix epoch.</summary>
    public long CreationTimestamp { get; init; }

    /// <summary>When it was last updated, in milliseconds since the Unix epoch.</summary>
    public long LastUpdatedTimestamp { get; init; }

    /// <summary>The legacy stage: <c>None</c>, <c>Staging</c>, <c>Production</c>, <c>Archived</c>.</summary>
    public string CurrentStage { get; init; } = string.Empty;

    /// <summary>A free-text description.</summary>
    public string Description { get; init; } = string.Empty;

    /// <summary>Where the model's files are, e.g. <c>mlflow-artifacts:/1/&lt;run&gt;/artifacts/model</c>.</summary>
    public string Source { get; init; } = string.Empty;

    /// <summary>The run that produced the model, if any.</summary>
    public string RunId { get; init; } = string.Empty;

    /// <summary><c>READY</c>, <c>PENDING_REGISTRATION</c> or <c>FAILED_REGISTRATION</c>.</summary>
    public string Status { get; init; } = string.Empty;

    /// <summary>A message about the status, if any.</summary>
    public string? StatusMessage { get; init; }

    /// <summary>The version's tags.</summary>
    public IReadOnlyList<KeyValueTag> Tags { get; init; } = [];

    /// <summary>A link to the run in another workspace, if any.</summary>
    public string RunLink { get; init; } = string.Empty;

    /// <summary>The aliases pointing to this version.</summary>
    public IReadOnlyList<string> Aliases { get; init; } = [];
}
