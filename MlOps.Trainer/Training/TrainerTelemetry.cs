using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace MlOps.Trainer.Training;

/// <summary>The trainer's activity source and meter (one name for both, registered by AddServiceDefaults).</summary>
public static class TrainerTelemetry
{
    public const string Name = "MlOps.Trainer";

    public static readonly ActivitySource ActivitySource = new(Name);

    public static readonly Meter Meter = new(Name);

    public static readonly Counter<long> RowsTrained = Meter.CreateCounter<long>("mlops.trainer.rows_trained", "{row}");

    public static readonly Histogram<double> StageDuration = Meter.CreateHistogram<double>("mlops.trainer.stage.duration", "s");
}
