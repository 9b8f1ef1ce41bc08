namespace MlOps.Mlflow;

/// <summary>An MLflow run: its info, its data (latest metrics, params, tags) and its inputs.</summary>
public sealed record Run
{
    /// <summary>Ids, status, times and the artifact location.</summary>
    public RunInfo Info { get; init; } = new();

    /// <summary>The latest value of each metric, the params and the tags.</summary>
    public RunData Data { get; init; } = new();

    /// <summary>The datasets the run used.</summary>
    public RunInputs Inputs { get; init; } = new();
}

/// <summary>The metadata of a run.</summary>
public sealed record RunInfo
{
    /// <summary>The run id: 32 lowercase hex characters.</summary>
    public string RunId { get; init; } = string.Empty;

    /// <summary>The same id under its legacy name; servers send both.</summary>
    public string RunUuid { get; init; } = string.Empty;

    /// <summary>The experiment the run belongs to.</summary>
    public string ExperimentId { get; init; } = string.Empty;

    /// <summary>The run's display name.</summary>
    public string RunName { get; init; } = string.Empty;

    /// <summary>The user who created the run.</summary>
    public string UserId { get; init; } = string.Empty;

    /// <summary><c>RUNNING</c>, <c>SCHEDULED</c>, <c>FINISHED</c>, <c>FAILED</c> or <c>KILLED</c> (see <see cref="RunStatus"/>).</summary>
    public string Status { get; init; } = string.Empty;

    /// <summary>When the run started, in milliseconds since the Unix epoch.</summary>
    public long StartTime { get; init; }

    /// <summary>When the run ended, in milliseconds since the Unix epoch; absent while it runs.</summary>
    public long? EndTime { get; init; }

    /// <summary>The root of the run's artifacts, e.g. <c>mlflow-artifacts:/1/&lt;run&gt;/artifacts</c>.</summary>
    public string ArtifactUri { get; init; } = string.Empty;

    /// <summary><c>active</c> or <c>deleted</c>.</summary>
    public string LifecycleStage { get; init; } = string.Empty;
}

/// <summary>What a run logged.</summary>
public sealed record RunData
{
    /// <summary>The latest value of each metric (the full series comes from the metric history).</summary>
    public IReadOnlyList<Metric> Metrics { get; init; } = [];

    /// <summary>The params; a param cannot change once logged.</summary>
    public IReadOnlyList<Param> Params { get; init; } = [];

    /// <summary>The tags, including MLflow's own (<c>mlflow.runName</c>, …).</summary>
    public IReadOnlyList<RunTag> Tags { get; init; } = [];
}

/// <summary>A metric value at a step and time.</summary>
/// <param name="Key">The metric name.</param>
/// <param name="Value">The value; NaN and infinities travel as the strings <c>"NaN"</c>, <c>"Infinity"</c>, <c>"-Infinity"</c>.</param>
/// <param name="Timestamp">When it was measured, in milliseconds since the Unix epoch.</param>
/// <param name="Step">The training step.</param>
public sealed record Metric(string Key, double Value, long Timestamp, long Step = 0);

/// <summary>A run parameter.</summary>
/// <param name="Key">The parameter name.</param>
/// <param name="Value">The value as a string.</param>
public sealed record Param(string Key, string Value = "");

/// <summary>A run tag.</summary>
/// <param name="Key">The tag key.</param>
/// <param name="Value">The tag value.</param>
public sealed record RunTag(string Key, string Value = "");

/// <summary>The run statuses MLflow knows.</summary>
public static class RunStatus
{
    /// <summary>The run is in progress.</summary>
    public const string Running = "RUNNING";

    /// <summary>The run is scheduled but not started.</summary>
    public const string Scheduled = "SCHEDULED";

    /// <summary>The run completed.</summary>
    public const string Finished = "FINISHED";

    /// <summary>The run failed.</summary>
    public const string Failed = "FAILED";

    /// <summary>The run was killed.</summary>
    public const string Killed = "KILLED";
}

/// <summary>The tag keys MLflow itself gives meaning to.</summary>
public static class KnownMlflowTags
{
    /// <summary>The run's name (set by <c>runs/create</c> from <c>run_name</c>).</summary>
    public const string RunName = "mlflow.runName";

    /// <summary>The source file or program that created the run.</summary>
    public const string SourceName = "mlflow.source.name";

    /// <summary>The source type: <c>LOCAL</c>, <c>PROJECT</c>, <c>JOB</c>, …</summary>
    public const string SourceType = "mlflow.source.type";

    /// <summary>The git commit of the source.</summary>
    public const string GitCommit = "mlflow.source.git.commit";

    /// <summary>The user who ran the code.</summary>
    public const string User = "mlflow.user";

    /// <summary>The models logged by the run, as JSON.</summary>
    public const string LoggedModels = "mlflow.log-model.history";

    /// <summary>On a dataset input: what the dataset was used for (<c>training</c>, <c>validation</c>, <c>test</c>).</summary>
    public const string DatasetContext = "mlflow.data.context";
}
