namespace MlOps.Trainer.Data;

/// <summary>How a feature is presented to the learner.</summary>
public enum FeatureKind
{
    Numeric,
    Categorical,
}

/// <summary>A column used as a feature.</summary>
public sealed record FeatureSpec(string Name, FeatureKind Kind);

/// <summary>A column left out of the features, and why.</summary>
public sealed record ExcludedColumn(string Name, string Reason);

/// <summary>Options for <see cref="FeatureSelector"/>; every list names columns of the table.</summary>
public sealed record FeatureSelectionOptions
{
    public IReadOnlyList<string>? Include { get; init; }

    public IReadOnlyList<string>? Exclude { get; init; }

    public IReadOnlyList<string>? Categorical { get; init; }

    public int MaxCategories { get; init; } = 1000;
}

/// <summary>The features (in table column order) and the columns left out.</summary>
public sealed record FeatureSelection(IReadOnlyList<FeatureSpec> Features, IReadOnlyList<ExcludedColumn> Excluded);
