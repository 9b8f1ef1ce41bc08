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

    /// <summary>The container CLI (<c>docker</c>, <c>podman</c> or a path); null finds docker, then podman, on PATH.</summary>
    public string? ContainerCli { get; init; }

    /// <summary>How long <c>docker info</c> may take before <c>--runtime auto</c> decides there is no engine.</summary>
    public TimeSpan EngineProbeTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>A container that asks for a GPU fails to start when the host has none (instead of running on the CPU).</summary>
    public bool RequireGpu { get; init; }

    /// <summary>Files passed to every image build as BuildKit secrets: id → host path (<c>AppHost:BuildSecrets:&lt;id&gt;</c>).</summary>
    public IReadOnlyDictionary<string, string> BuildSecrets { get; init; } = new Dictionary<string, string>();

    public static OrchestratorOptions From(IConfiguration configuration) => new()
    {
        Runtime = (configuration["AppHost:Runtime"] ?? "auto").Trim().ToLowerInvariant(),
        StopGracePeriod = Duration(configuration["AppHost:StopGracePeriod"]) ?? TimeSpan.FromSeconds(10),
        OtlpEndpointUrl = NonEmpty(configuration["AppHost:OtlpEndpointUrl"]) ?? "http://localhost:18889",
        OtlpApiKey = NonEmpty(configuration["AppHost:OtlpApiKey"]),
        PostgresBinDirectory = NonEmpty(configuration["AppHost:PostgresBinDirectory"]),
        ContainerCli = NonEmpty(configuration["AppHost:ContainerCli"]),
        EngineProbeTimeout = Duration(configuration["AppHost:EngineProbeTimeout"]) ?? TimeSpan.FromSeconds(5),
        RequireGpu = bool.TryParse(configuration["AppHost:RequireGpu"], out var requireGpu) && requireGpu,
        BuildSecrets = configuration.GetSection("AppHost:BuildSecrets").GetChildren()
            .Where(c => !string.IsNullOrWhiteSpace(c.Value))
            .ToDictionary(c => c.Key, c => c.Value!, StringComparer.Ordinal),
    };

    // "10" (seconds) or a TimeSpan ("00:00:10").
    private static TimeSpan? Duration(string? text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) ? TimeSpan.FromSeconds(seconds)
        : TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var span) ? span
        : null;

    private static string? NonEmpty(string? text) => string.IsNullOrWhiteSpace(text) ? null : text;
}
