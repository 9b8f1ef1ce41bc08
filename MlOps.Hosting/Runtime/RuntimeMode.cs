namespace MlOps.Hosting.Runtime;

/// <summary>How the AppHost runs its resources, decided once at start.</summary>
/// <param name="UseContainers">Containers (an engine answered, or publishing) or local processes.</param>
/// <param name="Reason">Why, in a few words, for the console and the resources' state.</param>
/// <param name="ContainerCli">The container CLI Aspire's orchestrator uses, in container mode.</param>
public sealed record RuntimeMode(bool UseContainers, string Reason, string? ContainerCli = null)
{
    /// <summary>The setting (<c>--runtime auto|docker|local</c> on the command line).</summary>
    public const string ConfigurationKey = "AppHost:Runtime";

    /// <summary>The console line: "containers (docker 28.2.2, engine 20.10.24)" or "local processes (…)".</summary>
    public override string ToString() => $"{(UseContainers ? "containers" : "local processes")} ({Reason})";
}
