using MlOps.Hosting.ApplicationModel;

namespace MlOps.Hosting;

/// <summary>PostgreSQL: <c>AddPostgres(...).WithDataVolume().AddDatabase(...)</c>.</summary>
public static class PostgresBuilderExtensions
{
    /// <summary>The image used in container mode (setting <c>Images:postgres</c> overrides it in the AppHost).</summary>
    public const string DefaultImage = "docker.io/library/postgres";

    /// <summary>The image tag used in container mode.</summary>
    public const string DefaultTag = "17.6";

    /// <summary>Adds a PostgreSQL server. Without <paramref name="password"/> a password parameter
    /// <c>{name}-password</c> is generated once and kept.</summary>
    public static IResourceBuilder<PostgresServerResource> AddPostgres(this DistributedApplicationBuilder builder, string name,
        IResourceBuilder<ParameterResource>? password = null, int? port = null)
    {
        var passwordParameter = password?.Resource
            ?? builder.AddResource(ParameterResourceBuilderExtensions.CreateGeneratedParameter(builder, $"{name}-password", 22)).Resource;
        var server = new PostgresServerResource(name, passwordParameter);
        return builder.AddResource(server)
            .WithAnnotation(new ContainerImageAnnotation(DefaultImage, DefaultTag))
            .WithEndpoint(PostgresServerResource.PrimaryEndpointName, "tcp", port, targetPort: 5432)
            .WithAnnotation(new PostgresHealthCheckAnnotation())
            .WithEnvironment("POSTGRES_HOST_AUTH_METHOD", "scram-sha-256")
            .WithEnvironment("POSTGRES_INITDB_ARGS", "--auth-host=scram-sha-256 --auth-local=scram-sha-256")
            .WithEnvironment("POSTGRES_USER", PostgresServerResource.UserName)
            .WithEnvironment("POSTGRES_PASSWORD", passwordParameter);
    }

    /// <summary>Keeps the server's data in a named volume (container mode) or in <c>.mlops/&lt;name&gt;-data</c> (local mode).</summary>
    public static IResourceBuilder<PostgresServerResource> WithDataVolume(this IResourceBuilder<PostgresServerResource> builder, string? name = null) =>
        builder.WithVolume(name ?? $"mlops-{builder.Resource.Name}-data", "/var/lib/postgresql/data");

    /// <summary>Adds a database, created when the server is first ready.</summary>
    public static IResourceBuilder<PostgresDatabaseResource> AddDatabase(this IResourceBuilder<PostgresServerResource> builder, string name, string? databaseName = null)
    {
        var database = new PostgresDatabaseResource(name, databaseName ?? name, builder.Resource);
        builder.Resource.Databases[name] = database.DatabaseName;
        return builder.ApplicationBuilder.AddResource(database)
            .WithAnnotation(new ResourceRelationshipAnnotation(builder.Resource, "Parent"));
    }
}
