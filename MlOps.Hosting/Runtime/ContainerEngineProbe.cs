using System.Text.Json;

namespace MlOps.Hosting.Runtime;

/// <summary>What a container CLI said about itself and its engine.</summary>
/// <param name="Cli">The CLI asked (<c>docker</c> or <c>podman</c>).</param>
/// <param name="ClientVersion">The CLI's version, when it answered.</param>
/// <param name="ServerVersion">The engine's version, when the engine answered.</param>
/// <param name="Error">Why the engine did not answer, in one line.</param>
public sealed record ContainerEngineInfo(string Cli, string? ClientVersion, string? ServerVersion, string? Error)
{
    /// <summary>The oldest Docker CLI Aspire's orchestrator (DCP) accepts.</summary>
    public const int MinimumDockerCliMajor = 25;

    /// <summary>True when the engine answered.</summary>
    public bool EngineAnswers => ServerVersion is not null;

    /// <summary>Why Aspire cannot use this engine, or null when it can.</summary>
    public string? Unusable =>
        !EngineAnswers ? $"no container engine answered ({Cli}: {Error ?? "no answer"})"
        : Cli == "docker" && Major(ClientVersion) < MinimumDockerCliMajor
            ? $"the docker CLI on PATH is {ClientVersion}, older than the {MinimumDockerCliMajor}.0 Aspire's orchestrator needs"
            : null;

    private static int Major(string? version) =>
        int.TryParse(version?.Split('.')[0], System.Globalization.CultureInfo.InvariantCulture, out var major) ? major : 0;
}

/// <summary>Asks a container CLI for its version and its engine's (<c>docker version --format json</c>), the check
/// Aspire's orchestrator makes itself; Aspire's own detector is internal, so the mode decision asks once, up front.</summary>
public interface IContainerEngineProbe
{
    /// <summary>Asks <paramref name="cli"/>; never throws for a missing or silent CLI.</summary>
    Task<ContainerEngineInfo> ProbeAsync(string cli, CancellationToken cancellationToken);
}

/// <summary>The real probe: runs the CLI with a 15-second limit.</summary>
public sealed class ContainerEngineProbe : IContainerEngineProbe
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(15);

    /// <inheritdoc />
    public async Task<ContainerEngineInfo> ProbeAsync(string cli, CancellationToken cancellationToken)
    {
        var result = await CliCommand.RunAsync(cli, ["version", "--format", "json"], s_timeout, cancellationToken).ConfigureAwait(false);
        return Parse(cli, result.Output, result.Error);
    }

    /// <summary>Reads <c>version --format json</c>: <c>{"Client":{"Version":…},"Server":{"Version":…}|null}</c>.</summary>
    internal static ContainerEngineInfo Parse(string cli, string stdout, string stderr)
    {
        string? client = null, server = null;
        try
        {
            using var json = JsonDocument.Parse(stdout.Trim().Split('\n')[0]);
            client = Version(json.RootElement, "Client");
            server = Version(json.RootElement, "Server");
        }
        catch (JsonException)
        {
            // Not JSON: an old CLI or an error text; the error line says what happened.
        }

        var error = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
        return new ContainerEngineInfo(cli, client, server, server is null ? error ?? "the engine did not answer" : null);
    }

    private static string? Version(JsonElement root, string part) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty(part, out var element) && element.ValueKind == JsonValueKind.Object
            && element.TryGetProperty("Version", out var version) && version.ValueKind == JsonValueKind.String
            ? version.GetString()
            : null;
}
