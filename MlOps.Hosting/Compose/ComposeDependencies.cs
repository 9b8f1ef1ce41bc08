using Aspire.Hosting.ApplicationModel;
using YamlDotNet.RepresentationModel;

namespace MlOps.Hosting.Compose;

/// <summary><c>depends_on</c> from the resource's waits: <c>WaitForCompletion</c> → <c>service_completed_successfully</c>,
/// <c>WaitFor</c> → <c>service_healthy</c> (or <c>service_started</c> when the target has no compose health check),
/// a wait for a PostgreSQL database → the completion of the service that creates the databases.</summary>
internal static class ComposeDependencies
{
    public const string Started = "service_started";
    public const string Healthy = "service_healthy";
    public const string Completed = "service_completed_successfully";

    private static readonly string[] s_strength = [Started, Healthy, Completed];

    /// <summary><c>{service: {condition: …}}</c>.</summary>
    public static YamlMappingNode Condition(string service, string condition) => Node([KeyValuePair.Create(service, condition)]);

    /// <summary>The <c>depends_on</c> node, or null. Waits on resources without a service (parameters, executables) are
    /// dropped, and so are waits on an on-demand service from outside its profile: Compose refuses a dependency on a
    /// service of an inactive profile (its way out, <c>required: false</c>, needs Compose 2.20+).</summary>
    public static YamlMappingNode? Create(IResource resource, IReadOnlySet<IResource> services)
    {
        var conditions = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var wait in resource.Annotations.OfType<WaitAnnotation>())
        {
            if (Target(resource, wait, services) is not var (service, condition))
            {
                continue;
            }

            // Two waits on one service (WaitFor and WaitForCompletion): the stricter condition holds.
            if (!conditions.TryGetValue(service, out var existing) || Array.IndexOf(s_strength, condition) > Array.IndexOf(s_strength, existing))
            {
                conditions[service] = condition;
            }
        }

        return conditions.Count == 0 ? null : Node(conditions);
    }

    /// <summary>True when <paramref name="resource"/> runs only on demand (the <c>train</c> profile).</summary>
    public static bool IsOnDemand(IResource resource) => resource.Annotations.OfType<ExplicitStartupAnnotation>().Any();

    private static YamlMappingNode Node(IEnumerable<KeyValuePair<string, string>> conditions)
    {
        var node = new YamlMappingNode();
        foreach (var (service, condition) in conditions)
        {
            node.Add(ComposeYaml.Plain(service), new YamlMappingNode(ComposeYaml.Plain("condition"), ComposeYaml.Plain(condition)));
        }

        return node;
    }

    private static (string Service, string Condition)? Target(IResource resource, WaitAnnotation wait, IReadOnlySet<IResource> services)
    {
        if (wait.Resource is PostgresDatabaseResource database)
        {
            return services.Contains(database.Parent) ? (ComposeNames.DatabasesService(database.Parent), Completed) : null;
        }

        var target = wait.Resource;
        if (!services.Contains(target) || (IsOnDemand(target) && !IsOnDemand(resource)))
        {
            return null;
        }

        return (ComposeNames.Service(target), wait.WaitType switch
        {
            WaitType.WaitForCompletion => Completed,
            WaitType.WaitUntilHealthy when ComposeHealthCheck.Has(target) => Healthy,
            _ => Started,
        });
    }
}
