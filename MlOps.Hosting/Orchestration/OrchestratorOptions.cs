using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace MlOps.Hosting.Orchestration;

/// <summary>The orchestrator's settings, read once from configuration (<c>AppHost:*</c>).</summary>
internal sealed record OrchestratorOptions
{
    public string Runtime { get; init; } = "auto";

    public TimeSpan StopGracePeriod { get; init; } = TimeSpan.FromSeconds(10);

    public string OtlpEndpointUrl { get; init; } = "http://localhost:18889";

    public string? OtlpApiKey { get; init; }

    public string? PostgresBinDirectory { get; init; }

    public TimeSpan HealthCheckInterval { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan HealthyCheckInterval { get; init; } = TimeSpan.FromSeconds(5);

    public static OrchestratorOptions From(IConfiguration configuration) => new()
    {
        Runtime = (configuration["AppHost:Runtime"] ?? "auto").Trim().ToLowerInvariant(),
        StopGracePeriod = Duration(configuration["AppHost:StopGracePeriod"]) ?? TimeSpan.FromSeconds(10),
        OtlpEndpointUrl = NonEmpty(configuration["AppHost:OtlpEndpointUrl"]) ?? "http://localhost:18889",
        OtlpApiKey = NonEmpty(configuration["AppHost:OtlpApiKey"]),
        PostgresBinDirectory = NonEmpty(configuration["AppHost:PostgresBinDirectory"]),
    };

    // "10" (seconds) or a TimeSpan ("00:00:10").
    private static TimeSpan? Duration(string? text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) ? TimeSpan.FromSeconds(seconds)
        : TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var span) ? span
        : null;

    private static string? NonEmpty(string? text) => string.IsNullOrWhiteSpace(text) ? null : text;
}
