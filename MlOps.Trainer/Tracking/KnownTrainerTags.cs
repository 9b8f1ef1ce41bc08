namespace MlOps.Trainer.Tracking;

/// <summary>Run tags the trainer writes besides MLflow's own.</summary>
internal static class KnownTrainerTags
{
    /// <summary>MLflow's tag naming a nested run's parent (what its UI nests by).</summary>
    public const string ParentRunId = "mlflow.parentRunId";

    public const string Error = "mlops.error";
    public const string Pid = "mlops.trainer.pid";
    public const string Host = "mlops.trainer.host";

    /// <summary>The trainer process's start time (Unix ms): with the pid, tells a live trainer from a reused pid.</summary>
    public const string ProcessStart = "mlops.trainer.process_start";

    /// <summary>Unix ms of the last sign of life; what tells a dead trainer on another host (a container).</summary>
    public const string Heartbeat = "mlops.trainer.heartbeat";
}
