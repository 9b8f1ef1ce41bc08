namespace MlOps.Tracking.Ui;

/// <summary>Settings of the web UI (section <c>TrackingUi</c>, e.g. <c>TrackingUi__DashboardUrl</c>).</summary>
public sealed class TrackingUiOptions
{
    public const string SectionName = "TrackingUi";

    /// <summary>The dashboard that receives the trainer's traces (e.g. <c>http://localhost:18888</c>); unset, trace
    /// ids are shown without a link.</summary>
    public string? DashboardUrl { get; set; }

    /// <summary>The dashboard's page for one trace, <c>{traceId}</c> replaced: <c>/traces/{traceId}</c> for MlOps'
    /// dashboard, <c>/traces/detail/{traceId}</c> for Aspire's.</summary>
    public string TracePath { get; set; } = "/traces/detail/{traceId}";

    /// <summary>Runs per page of an experiment's runs table unless the page asks for another size.</summary>
    public int PageSize { get; set; } = 50;

    /// <summary>How often a running training's curves are read again.</summary>
    public TimeSpan LiveInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The link to a trace in the dashboard, or null when no dashboard is configured.</summary>
    public Uri? TraceLink(string? traceId)
    {
        if (string.IsNullOrWhiteSpace(DashboardUrl) || string.IsNullOrWhiteSpace(traceId)
            || !Uri.TryCreate(DashboardUrl, UriKind.Absolute, out var dashboard) || dashboard.Scheme is not ("http" or "https"))
        {
            return null;
        }

        var path = TracePath.Replace("{traceId}", Uri.EscapeDataString(traceId), StringComparison.Ordinal);
        return new Uri(dashboard, path);
    }
}
