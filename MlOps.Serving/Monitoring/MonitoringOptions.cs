namespace MlOps.Serving.Monitoring;

/// <summary>
/// The settings of production monitoring, bound from the <c>Monitoring</c> section (<c>Monitoring:Drift:WindowSize</c>,
/// <c>Monitoring__Shadow__Enabled</c>, …). The defaults suit a few hundred requests a minute.
/// </summary>
public sealed class MonitoringOptions
{
    public const string Section = "Monitoring";

    /// <summary>Rows waiting to be monitored (drift, shadow, log); beyond this they are dropped and counted.</summary>
    public int QueueCapacity { get; set; } = 20_000;

    public DriftOptions Drift { get; set; } = new();

    public PredictionLogOptions Log { get; set; } = new();

    public QualityOptions Quality { get; set; } = new();

    public ShadowOptions Shadow { get; set; } = new();
}

/// <summary>Population stability of the inputs and the score against the training reference.</summary>
public sealed class DriftOptions
{
    public bool Enabled { get; set; } = true;

    /// <summary>The live window: the last this many rows.</summary>
    public int WindowSize { get; set; } = 2_000;

    /// <summary>How often PSI is computed from the window (and warnings decided).</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>No PSI is reported until the window holds this many rows (PSI of a handful of rows is noise).</summary>
    public int MinRows { get; set; } = 200;

    /// <summary>The PSI at which a feature counts as drifting (0.2 is the usual "significant shift").</summary>
    public double Threshold { get; set; } = 0.2;
}

/// <summary>The prediction log in PostgreSQL (on when <c>ConnectionStrings:servingdb</c> is set).</summary>
public sealed class PredictionLogOptions
{
    public bool Enabled { get; set; } = true;

    /// <summary>Rows waiting for the database; beyond this they are dropped and counted.</summary>
    public int QueueCapacity { get; set; } = 10_000;

    /// <summary>The most rows written in one COPY, and so per <see cref="FlushInterval"/>: the log's ceiling in rows a second.</summary>
    public int BatchSize { get; set; } = 5_000;

    /// <summary>How often waiting rows are written (one batch each time).</summary>
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Rows older than this many days are deleted in the background; 0 keeps everything.</summary>
    public int RetentionDays { get; set; } = 30;

    public TimeSpan RetentionInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The longest wait between attempts while the database is down.</summary>
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>Live quality from feedback: precision, recall, PR-AUC and the label rate per model version.</summary>
public sealed class QualityOptions
{
    /// <summary>Predictions made within this window (and labelled) count.</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How often the figures are computed again (and at once after feedback, at most this often).</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The most labelled rows read per computation (the newest).</summary>
    public int MaxRows { get; set; } = 200_000;
}

/// <summary>The challenger scored in the shadow of the production model.</summary>
public sealed class ShadowOptions
{
    public bool Enabled { get; set; } = true;

    /// <summary>The challenger's alias next to the production one: <c>models:/name@challenger</c>.</summary>
    public string Alias { get; set; } = "challenger";

    /// <summary>An explicit challenger URI (any model URI or folder); by default the alias beside production's.</summary>
    public string? ModelUri { get; set; }

    /// <summary>The agreement and score PSI window: the last this many rows scored by both.</summary>
    public int WindowSize { get; set; } = 2_000;
}
