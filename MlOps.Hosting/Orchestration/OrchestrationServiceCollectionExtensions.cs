using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MlOps.Hosting.Orchestration.Runtime;

namespace MlOps.Hosting.Orchestration;

/// <summary>Registers the orchestrator and its services (run mode only).</summary>
public static class OrchestrationServiceCollectionExtensions
{
    /// <summary>Adds the notification and logger services, the orchestrator (a hosted service), the command service and
    /// the runtimes (keyed <see cref="IResourceRuntime"/> services: <c>local</c> today).</summary>
    public static IServiceCollection AddOrchestration(this IServiceCollection services)
    {
        services.AddSingleton<ResourceNotificationService>();
        services.AddSingleton(new ResourceLoggerService());
        services.AddSingleton(sp => OrchestratorOptions.From(sp.GetRequiredService<IConfiguration>()));
        services.AddSingleton(_ => new ProcessSpawner());
        services.AddKeyedSingleton<IResourceRuntime, LocalProcessRuntime>("local");
        services.AddSingleton<LaunchValueResolver>();
        services.AddSingleton<HealthMonitor>();
        services.AddSingleton<ApplicationOrchestrator>();
        services.AddHostedService(sp => sp.GetRequiredService<ApplicationOrchestrator>());
        services.AddSingleton<IResourceCommandService, ResourceCommandService>();
        return services;
    }
}
