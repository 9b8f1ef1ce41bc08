namespace MlOps.Dashboard;

/// <summary>Settings of the dashboard (section <c>Dashboard</c>). Ports follow Aspire's standalone dashboard.</summary>
public sealed class DashboardOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Dashboard";

    /// <summary>Where the UI and its JSON API listen (loopback by default).</summary>
    public string Url { get; set; } = "http://localhost:18888";

    /// <summary>The login token; generated for each run when empty. Opening <c>/login?t=TOKEN</c> sets a cookie;
    /// scripts send <c>Authorization: Bearer TOKEN</c>.</summary>
    public string? BrowserToken { get; set; }

    /// <summary>False turns the dashboard off (the AppHost still runs).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Allow listening on non-loopback addresses (off by default: the dashboard can start and stop resources).</summary>
    public bool AllowRemote { get; set; }
}
