namespace MlOps.Mlflow;

/// <summary>The inputs of a run.</summary>
public sealed record RunInputs
{
    /// <summary>The datasets the run used, each with its input tags.</summary>
    public IReadOnlyList<DatasetInput> DatasetInputs { get; init; } = [];
}

/// <summary>A dataset used by a run, with tags saying how (e.g. <c>mlflow.data.context</c> = <c>training</c>).</summary>
public sealed record DatasetInput
{
    /// <summary>Tags on the use of the dataset by the run.</summary>
    public IReadOnlyList<InputTag> Tags { get; init; } = [];

    /// <summary>The dataset.</summary>
    public Dataset Dataset { get; init; } = new();
}

/// <summary>A tag on a dataset input.</summary>
/// <param name="Key">The tag key, e.g. <c>mlflow.data.context</c>.</param>
/// <param name="Value">The tag value, e.g. <c>training</c>.</param>
public sealed record InputTag(string Key, string Value = "");

/// <summary>A dataset as MLflow records it: identity and pointers, not the data.</summary>
public sealed record Dataset
{
    /// <summary>The dataset's name.</summary>
    public string Name { get; init; } = string.Empty;

    /// <summary>A short digest of the content that identifies this version.</summary>
    public string Digest { get; init; } = string.Empty;

    /// <summary>The kind of source: <c>local</c>, <c>http</c>, <c>s3</c>, …</summary>
    public string SourceType { get; init; } = string.Empty;

    /// <summary>The source as JSON, e.g. <c>{"uri": "/data/train.csv"}</c>.</summary>
    public string Source { get; init; } = string.Empty;

    /// <summary>The schema as JSON (e.g. MLflow's <c>mlflow_colspec</c>); absent when unknown.</summary>
    public string? Schema { get; init; }

    /// <summary>A profile as JSON (e.g. <c>{"num_rows": 150}</c>); absent when unknown.</summary>
    public string? Profile { get; init; }
}
