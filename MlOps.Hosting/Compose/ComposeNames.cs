using Aspire.Hosting.ApplicationModel;

namespace MlOps.Hosting.Compose;

/// <summary>Names in the compose world: services, interpolation variables, generated files.</summary>
internal static class ComposeNames
{
    /// <summary>The compose file written when the output path is a folder.</summary>
    public const string ComposeFile = "docker-compose.yml";

    /// <summary>The override that adds NVIDIA GPU reservations (<c>-f docker-compose.yml -f docker-compose.gpu.yml</c>).</summary>
    public const string GpuFile = "docker-compose.gpu.yml";

    /// <summary>The override with BuildKit secrets for image builds (Compose v2: Compose v1 has no build secrets).</summary>
    public const string BuildSecretsFile = "docker-compose.build-secrets.yml";

    /// <summary>The list of variables the compose files read from <c>.env</c>.</summary>
    public const string EnvExampleFile = ".env.example";

    /// <summary>The profile explicit-start resources are put in.</summary>
    public const string ExplicitStartProfile = "train";

    /// <summary>A resource's service name (compose service names are lower case).</summary>
    public static string Service(IResource resource) => resource.Name.ToLowerInvariant();

    /// <summary>The one-shot service that creates a PostgreSQL server's databases.</summary>
    public static string DatabasesService(PostgresServerResource server) => $"{Service(server)}-databases";

    /// <summary>The SQL script that service runs, written next to the compose file.</summary>
    public static string DatabasesScript(PostgresServerResource server) => $"{Service(server)}-databases.sql";

    /// <summary>The compose variable of a parameter: upper case, <c>-</c> and <c>.</c> as <c>_</c> (<c>pg-password</c> → <c>PG_PASSWORD</c>).</summary>
    public static string Variable(ParameterResource parameter) =>
        parameter.Name.ToUpperInvariant().Replace('-', '_').Replace('.', '_');
}
