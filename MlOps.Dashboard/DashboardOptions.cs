using MlOps.Dashboard.Telemetry;

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

    /// <summary>OTLP/gRPC endpoint (HTTP/2), published to the orchestrator as <c>AppHost:OtlpEndpointUrl</c>.</summary>
    public string OtlpGrpcUrl { get; set; } = "http://localhost:18889";

    /// <summary>OTLP/HTTP endpoint (<c>POST /v1/traces</c>, <c>/v1/logs</c>, <c>/v1/metrics</c>).</summary>
    public string OtlpHttpUrl { get; set; } = "http://localhost:18890";

    /// <summary>The key exporters must send as <c>x-otlp-api-key</c>; generated for each run when empty and published to
    /// the orchestrator as <c>AppHost:OtlpApiKey</c>.</summary>
    public string? OtlpApiKey { get; set; }

    /// <summary>Limits of the telemetry store (section <c>Dashboard:Telemetry</c>).</summary>
    public TelemetryOptions Telemetry { get; set; } = new();
}
