using System.Globalization;
using MlOps.Hosting.ApplicationModel;

namespace MlOps.Hosting.Publishing;

/// <summary>Compose health checks that need nothing but bash in the image: HTTP checks speak HTTP/1.0 over bash's
/// <c>/dev/tcp</c> and look for the expected status; PostgreSQL uses <c>pg_isready</c>.</summary>
internal static class ComposeHealthCheck
{
    /// <summary>True when the resource has a health check compose can run.</summary>
    public static bool Has(IResource resource) =>
        resource.Annotations.OfType<HttpHealthCheckAnnotation>().Any() || resource.Annotations.OfType<PostgresHealthCheckAnnotation>().Any();

    /// <summary>Writes <c>healthcheck:</c> for the resource's first health check, if any.</summary>
    public static void Write(YamlWriter yaml, IResource resource)
    {
        var test = Command(resource);
        if (test is null)
        {
            return;
        }

        using (yaml.Mapping("healthcheck"))
        {
            yaml.FlowList("test", ["CMD-SHELL", test]);
            yaml.Raw("interval", "5s");
            yaml.Raw("timeout", "5s");
            yaml.Raw("retries", "30");
            yaml.Raw("start_period", "10s");
        }
    }

    private static string? Command(IResource resource)
    {
        if (resource.Annotations.OfType<PostgresHealthCheckAnnotation>().Any())
        {
            return $"pg_isready -U {PostgresServerResource.UserName}";
        }

        if (resource.Annotations.OfType<HttpHealthCheckAnnotation>().FirstOrDefault() is not { } http)
        {
            return null;
        }

        var endpoint = resource.Annotations.OfType<EndpointAnnotation>().FirstOrDefault(e => e.Name == http.EndpointName)
            ?? throw new DistributedApplicationException($"Health check of '{resource.Name}' names endpoint '{http.EndpointName}', which it does not have.");
        var port = ComposeExpressionResolver.ContainerPort(resource, endpoint).ToString(CultureInfo.InvariantCulture);
        var status = http.StatusCode.ToString(CultureInfo.InvariantCulture);
        return $"bash -c 'exec 3<>/dev/tcp/127.0.0.1/{port} && printf \"GET {http.Path} HTTP/1.0\\r\\n\\r\\n\" >&3 && head -n 1 <&3 | grep -q \" {status} \"'";
    }
}
