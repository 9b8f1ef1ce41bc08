using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using MlOps.Hosting.LocalPostgres;

namespace Aspire.Hosting;

/// <summary>PostgreSQL from the machine's server binaries, as an Aspire executable resource: the embedded default on a
/// machine without a container engine.</summary>
public static class LocalPostgresBuilderExtensions
{
    /// <summary>
    /// Adds PostgreSQL run from the server binaries: <c>initdb</c> on the first start (user <c>postgres</c>, SCRAM
    /// password), then <c>postgres</c> on 127.0.0.1 at the port Aspire gives it; as root it runs as the <c>postgres</c>
    /// user. An Npgsql health check gates its waiters, as with <c>AddPostgres</c>.
    /// </summary>
    /// <param name="builder">The AppHost's builder.</param>
    /// <param name="name">The resource name.</param>
    /// <param name="password">The password; generated (and kept in user secrets) when null.</param>
    /// <param name="port">A fixed host port; random when null.</param>
    /// <returns>The server's builder.</returns>
    public static IResourceBuilder<LocalPostgresServerResource> AddLocalPostgres(this IDistributedApplicationBuilder builder,
        [ResourceName] string name, IResourceBuilder<ParameterResource>? password = null, int? port = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var passwordParameter = password?.Resource ?? ParameterResourceBuilderExtensions.CreateDefaultPasswordParameter(builder, $"{name}-password", special: false);
        var server = new LocalPostgresServerResource(name, passwordParameter, Path.Combine(builder.AppHostDirectory, ".mlops", name));

        var connectionString = new LocalPostgresConnectionString(builder.Eventing, server);
        var healthCheckKey = $"{name}_check";
        builder.Services.AddHealthChecks().AddNpgSql(_ => connectionString.Value + ";Database=postgres", name: healthCheckKey);
        builder.Eventing.Subscribe<BeforeResourceStartedEvent>(server, (e, ct) => LocalPostgresStart.PrepareAsync(server, e.Services, ct));
        builder.Eventing.Subscribe<ResourceReadyEvent>(server, (e, ct) => LocalPostgresDatabases.CreateAsync(server, connectionString.Value, e.Services, ct));

        return builder.AddResource(server)
            .WithEndpoint(port: port, name: LocalPostgresServerResource.PrimaryEndpointName, scheme: "tcp", env: "PGPORT")
            .WithArgs(_ => _.Args.Add(LocalPostgresStart.ScriptPath(server)))
            .WithEnvironment(context =>
            {
                context.EnvironmentVariables["PGDATA"] = Path.Combine(server.DataDirectory, "data");
                context.EnvironmentVariables["PGBIN"] = server.BinDirectory ?? "";
                context.EnvironmentVariables["POSTGRES_PASSWORD"] = server.PasswordParameter;
            })
            .WithIconName("DatabaseMultiple")
            .WithHealthCheck(healthCheckKey)
            .ExcludeFromManifest();
    }

    /// <summary>Keeps the cluster in <paramref name="path"/> (default: <c>.mlops/&lt;name&gt;</c> beside the AppHost).</summary>
    /// <param name="builder">The server's builder.</param>
    /// <param name="path">The folder; relative paths are taken from the AppHost's folder.</param>
    /// <returns>The same builder.</returns>
    public static IResourceBuilder<LocalPostgresServerResource> WithDataDirectory(this IResourceBuilder<LocalPostgresServerResource> builder, string path)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Resource.DataDirectory = Path.GetFullPath(path, builder.ApplicationBuilder.AppHostDirectory);
        return builder.WithWorkingDirectory(builder.Resource.DataDirectory);
    }

    /// <summary>Runs the binaries in <paramref name="path"/> instead of looking for them.</summary>
    /// <param name="builder">The server's builder.</param>
    /// <param name="path">The folder holding <c>initdb</c> and <c>postgres</c>; null or empty to look for them.</param>
    /// <returns>The same builder.</returns>
    public static IResourceBuilder<LocalPostgresServerResource> WithBinDirectory(this IResourceBuilder<LocalPostgresServerResource> builder, string? path)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Resource.BinDirectory = string.IsNullOrWhiteSpace(path) ? null : path;
        return builder;
    }

    /// <summary>Adds a database, created once the server is ready; it is Running (and its waiters go on) only then,
    /// and it fails when its server fails.</summary>
    /// <param name="builder">The server's builder.</param>
    /// <param name="name">The resource name (the connection string's name when referenced).</param>
    /// <param name="databaseName">The database's name on the server; the resource name when null.</param>
    /// <returns>The database's builder.</returns>
    public static IResourceBuilder<LocalPostgresDatabaseResource> AddDatabase(this IResourceBuilder<LocalPostgresServerResource> builder,
        [ResourceName] string name, string? databaseName = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var database = new LocalPostgresDatabaseResource(name, databaseName ?? name, builder.Resource);
        builder.Resource.AddDatabase(name, database.DatabaseName);

        var connectionString = new LocalPostgresConnectionString(builder.ApplicationBuilder.Eventing, database);
        var healthCheckKey = $"{name}_check";
        builder.ApplicationBuilder.Services.AddHealthChecks().AddNpgSql(_ => connectionString.Value, name: healthCheckKey);
        builder.ApplicationBuilder.Eventing.Subscribe<InitializeResourceEvent>(database, (e, ct) =>
        {
            // Aspire mirrors a parent's state only onto children of containers; this child follows its executable.
            _ = LocalPostgresDatabases.FollowServerAsync(database, e.Notifications, e.Services);
            return Task.CompletedTask;
        });

        return builder.ApplicationBuilder.AddResource(database)
            .WithInitialState(new CustomResourceSnapshot { ResourceType = "PostgresDatabase", Properties = [], State = KnownResourceStates.NotStarted })
            .WithIconName("Database")
            .WithHealthCheck(healthCheckKey)
            .ExcludeFromManifest();
    }
}
