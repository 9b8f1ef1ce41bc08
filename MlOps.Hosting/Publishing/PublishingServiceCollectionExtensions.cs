using Microsoft.Extensions.DependencyInjection;

namespace MlOps.Hosting.Publishing;

/// <summary>Registers the publishers, keyed by the name given to <c>--publisher</c>.</summary>
public static class PublishingServiceCollectionExtensions
{
    /// <summary>Adds <c>manifest</c> (Aspire manifest) and <c>compose</c> (docker-compose.yml).</summary>
    public static IServiceCollection AddPublishers(this IServiceCollection services)
    {
        services.AddKeyedSingleton<IDistributedApplicationPublisher, ManifestPublisher>("manifest");
        services.AddKeyedSingleton<IDistributedApplicationPublisher, ComposePublisher>("compose");
        return services;
    }
}
