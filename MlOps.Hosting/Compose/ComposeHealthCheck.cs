using System.Globalization;
using Aspire.Hosting.ApplicationModel;
using YamlDotNet.RepresentationModel;

namespace MlOps.Hosting.Compose;

/// <summary>The compose <c>healthcheck</c> of a resource, when its Aspire health check has a form compose can run in the
/// container: PostgreSQL's <c>pg_isready</c>, and <c>WithHttpHealthCheck</c> as an HTTP request from bash (no curl
/// needed in the image). Other health checks run in the AppHost only and have no compose form.</summary>
internal static class ComposeHealthCheck
{
    private const string CheckSuffix = "_check";

    /// <summary>True when the resource gets a compose health check (so a wait on it can be <c>service_healthy</c>).</summary>
    public static bool Has(IResource resource) => Command(resource) is not null;

    /// <summary>The <c>healthcheck:</c> node, or null.</summary>
    public static YamlMappingNode? Create(IResource resource)
    {
        if (Command(resource) is not { } command)
        {
            return null;
        }

        return new YamlMappingNode(
            ComposeYaml.Plain("test"), ComposeYaml.FlowList(["CMD-SHELL", command]),
            ComposeYaml.Plain("interval"), ComposeYaml.Quoted("5s"),
            ComposeYaml.Plain("timeout"), ComposeYaml.Quoted("5s"),
            ComposeYaml.Plain("retries"), ComposeYaml.Plain("60"),
            ComposeYaml.Plain("start_period"), ComposeYaml.Quoted("10s"));
    }

    private static string? Command(IResource resource)
    {
        if (resource is PostgresServerResource server)
        {
            // Over TCP: during first-start initialisation the server listens on its socket only, so this stays red until
            // the real server is up. $$ reaches the shell as $ (the container's own POSTGRES_USER).
            var port = ComposeValueResolver.ContainerPort(server, server.PrimaryEndpoint.EndpointAnnotation);
            return string.Create(CultureInfo.InvariantCulture, $"pg_isready -q -h 127.0.0.1 -p {port} -U \"$${{POSTGRES_USER:-postgres}}\"");
        }

        return HttpCheck(resource) is var (endpoint, path, status)
            ? HttpCommand(ComposeValueResolver.ContainerPort(resource, endpoint), path, status)
            : null;
    }

    // WithHttpHealthCheck registers its check under "{resource}_{endpoint}_{path}_{status}_check": the key is all the
    // app model keeps of the path and status, so it is read back here.
    private static (EndpointAnnotation Endpoint, string Path, int Status)? HttpCheck(IResource resource)
    {
        var prefix = resource.Name + "_";
        foreach (var key in resource.Annotations.OfType<HealthCheckAnnotation>().Select(a => a.Key))
        {
            if (!key.StartsWith(prefix, StringComparison.Ordinal) || !key.EndsWith(CheckSuffix, StringComparison.Ordinal))
            {
                continue;
            }

            var middle = key[prefix.Length..^CheckSuffix.Length];
            var lastUnderscore = middle.LastIndexOf('_');
            foreach (var endpoint in resource.Annotations.OfType<EndpointAnnotation>().Where(e => e.UriScheme is "http"))
            {
                if (lastUnderscore > endpoint.Name.Length && middle.StartsWith(endpoint.Name + "_", StringComparison.Ordinal)
                    && int.TryParse(middle[(lastUnderscore + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var status))
                {
                    return (endpoint, middle[(endpoint.Name.Length + 1)..lastUnderscore], status);
                }
            }
        }

        return null;
    }

    // bash's /dev/tcp, so the image needs bash but neither curl nor wget. % is printf's escape; $ is compose's.
    private static string HttpCommand(int port, string path, int status)
    {
        if (path.IndexOfAny(['\'', '"', '\\', ' ']) >= 0)
        {
            throw new InvalidOperationException($"The health check path '{path}' cannot be written into a compose health check.");
        }

        var request = ComposeValueResolver.Escape(path.Replace("%", "%%", StringComparison.Ordinal));
        return string.Create(CultureInfo.InvariantCulture,
            $"bash -c 'exec 3<>/dev/tcp/127.0.0.1/{port} && printf \"GET {request} HTTP/1.1\\r\\nHost: localhost\\r\\nConnection: close\\r\\n\\r\\n\" >&3 && head -n 1 <&3 | grep -q \" {status} \"'");
    }
}
