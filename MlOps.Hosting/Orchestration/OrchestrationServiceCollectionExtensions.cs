using Microsoft.Extensions.DependencyInjection;

namespace MlOps.Hosting.Orchestration;

/// <summary>Registers the orchestrator and its services (run mode only).</summary>
public static class OrchestrationServiceCollectionExtensions
{
    /// <summary>Adds the notification and logger services, the orchestrator and the runtimes.</summary>
    public static IServiceCollection AddOrchestration(this IServiceCollection services)
    {
        services.AddSingleton<ResourceNotificationService>();
        services.AddSingleton(new ResourceLoggerService());
        return services;
    }
}
