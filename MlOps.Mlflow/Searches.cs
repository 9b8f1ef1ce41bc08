namespace MlOps.Mlflow;

/// <summary>What to search for in <c>experiments/search</c>.</summary>
public sealed record ExperimentSearch
{
    /// <summary>A filter such as <c>name = 'fraud'</c>.</summary>
    public string? Filter { get; init; }

    /// <summary>The page size.</summary>
    public int? MaxResults { get; init; }

    /// <summary>Sort clauses such as <c>creation_time DESC</c>.</summary>
    public IReadOnlyList<string>? OrderBy { get; init; }

    /// <summary>The token of the page to read, from the previous page.</summary>
    public string? PageToken { get; init; }

    /// <summary><c>ACTIVE_ONLY</c> (the default), <c>DELETED_ONLY</c> or <c>ALL</c>.</summary>
    public string? ViewType { get; init; }
}

/// <summary>What to search for in <c>runs/search</c>.</summary>
public sealed record RunSearch
{
    /// <summary>The experiments to search in.</summary>
    public required IReadOnlyList<string> ExperimentIds { get; init; }

    /// <summary>A filter such as <c>metrics.auc &gt; 0.9 and params.lr = '0.01'</c>.</summary>
    public string? Filter { get; init; }

    /// <summary><c>ACTIVE_ONLY</c> (the default), <c>DELETED_ONLY</c> or <c>ALL</c>.</summary>
    public string? RunViewType { get; init; }

    /// <summary>The page size.</summary>
    public int? MaxResults { get; init; }

    /// <summary>Sort clauses such as <c>metrics.loss ASC</c>.</summary>
    public IReadOnlyList<string>? OrderBy { get; init; }

    /// <summary>The token of the page to read, from the previous page.</summary>
    public string? PageToken { get; init; }
}

/// <summary>What to search for among registered models or model versions.</summary>
public sealed record RegistrySearch
{
    /// <summary>A filter such as <c>name = 'fraud-detector'</c>.</summary>
    public string? Filter { get; init; }

    /// <summary>The page size.</summary>
    public int? MaxResults { get; init; }

    /// <summary>Sort clauses such as <c>name ASC</c>.</summary>
    public IReadOnlyList<string>? OrderBy { get; init; }

    /// <summary>The token of the page to read, from the previous page.</summary>
    public string? PageToken { get; init; }
}
