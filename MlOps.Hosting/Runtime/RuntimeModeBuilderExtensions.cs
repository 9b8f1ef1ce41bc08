using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MlOps.Hosting.Runtime;

namespace Aspire.Hosting;

/// <summary>Decides once, at start, whether the AppHost runs containers or local processes.</summary>
public static class RuntimeModeBuilderExtensions
{
    /// <summary>
    /// Publishing: containers. Running: <c>AppHost:Runtime</c> = <c>docker</c> (containers, or an error naming the fix),
    /// <c>local</c> (processes), or <c>auto</c> (default: containers when the engine Aspire would use answers, else
    /// processes). The decision is logged at start and registered as a <see cref="RuntimeMode"/> service.
    /// </summary>
    /// <param name="builder">The AppHost's builder.</param>
    /// <param name="probe">Asks the container CLI; the real one when null.</param>
    /// <returns>The decision.</returns>
    /// <exception cref="DistributedApplicationException">An unknown setting, or <c>docker</c> without a usable engine.</exception>
    public static RuntimeMode AddRuntimeMode(this IDistributedApplicationBuilder builder, IContainerEngineProbe? probe = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var mode = Decide(builder, probe ?? new ContainerEngineProbe());
        builder.Services.AddSingleton(mode);
        builder.Eventing.Subscribe<BeforeStartEvent>((e, _) =>
        {
            e.Services.GetRequiredService<ILoggerFactory>().CreateLogger("MlOps.AppHost").LogInformation("Runtime: {Mode}", mode);
            return Task.CompletedTask;
        });
        return mode;
    }

    private static RuntimeMode Decide(IDistributedApplicationBuilder builder, IContainerEngineProbe probe)
    {
        var cli = ContainerCli(builder.Configuration);
        if (builder.ExecutionContext.IsPublishMode)
        {
            return new RuntimeMode(true, "publishing: deployment targets run containers", cli);
        }

        var setting = (builder.Configuration[RuntimeMode.ConfigurationKey] ?? "auto").Trim().ToLowerInvariant();
        if (setting == "local")
        {
            return new RuntimeMode(false, "--runtime local");
        }

        if (setting is not ("auto" or "docker"))
        {
            throw new DistributedApplicationException($"--runtime must be auto, docker or local (got '{setting}').");
        }

        var engine = probe.ProbeAsync(cli, CancellationToken.None).GetAwaiter().GetResult();
        if (engine.Unusable is { } why)
        {
            return setting == "auto"
                ? new RuntimeMode(false, $"{why}; --runtime docker insists on containers")
                : throw new DistributedApplicationException($"--runtime {setting}: {why}. Start the engine, or use --runtime local.");
        }

        return new RuntimeMode(true, $"{engine.Cli} {engine.ClientVersion}, engine {engine.ServerVersion}" +
            (setting == "auto" ? "; --runtime local runs processes instead" : ""), engine.Cli);
    }

    // The CLI Aspire's orchestrator uses (Podman: ASPIRE_CONTAINER_RUNTIME=podman): DcpPublisher:ContainerRuntime or
    // ASPIRE_CONTAINER_RUNTIME, else docker.
    private static string ContainerCli(IConfiguration configuration) =>
        configuration["DcpPublisher:ContainerRuntime"] ?? configuration["ASPIRE_CONTAINER_RUNTIME"] ?? "docker";
}
