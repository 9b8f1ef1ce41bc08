namespace MlOps.Tracking.Ui.Queries;

/// <summary>The run tags the UI reads: MLflow's system tags and the trainer's own.</summary>
public static class KnownRunTags
{
    public const string ParentRunId = "mlflow.parentRunId";
    public const string SourceName = "mlflow.source.name";
    public const string SourceType = "mlflow.source.type";
    public const string GitCommit = "mlflow.source.git.commit";
    public const string User = "mlflow.user";
    public const string Note = "mlflow.note.content";
    public const string TraceId = "mlops.trace_id";
    public const string Error = "mlops.error";
    public const string Device = "mlops.device";

    /// <summary>The tags every runs-table row carries.</summary>
    public static readonly string[] Row = [ParentRunId, SourceName, GitCommit, Error];
}
