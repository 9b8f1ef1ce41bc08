namespace MlOps.Hosting.ApplicationModel;

/// <summary>A PostgreSQL server: the <c>postgres</c> image in container mode, the server binaries in local mode.</summary>
public sealed class PostgresServerResource : ContainerResource, IResourceWithConnectionString
{
    /// <summary>The endpoint name of the server's TCP port.</summary>
    public const string PrimaryEndpointName = "tcp";

    /// <summary>The user name the server is created with.</summary>
    public const string UserName = "postgres";

    /// <summary>Creates the server resource.</summary>
    public PostgresServerResource(string name, ParameterResource password)
        : base(name)
    {
        PasswordParameter = password;
        PrimaryEndpoint = new EndpointReference(this, PrimaryEndpointName);
    }

    /// <summary>The superuser password.</summary>
    public ParameterResource PasswordParameter { get; }

    /// <summary>The TCP endpoint.</summary>
    public EndpointReference PrimaryEndpoint { get; }

    /// <summary>Databases declared with <c>AddDatabase</c>: resource name → database name.</summary>
    public Dictionary<string, string> Databases { get; } = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create(
        $"Host={PrimaryEndpoint.Property(EndpointProperty.Host)};Port={PrimaryEndpoint.Property(EndpointProperty.Port)};Username={UserName};Password={PasswordParameter}");
}

/// <summary>A database on a <see cref="PostgresServerResource"/>; created when the server is ready.</summary>
public sealed class PostgresDatabaseResource(string name, string databaseName, PostgresServerResource parent)
    : Resource(name), IResourceWithParent, IResourceWithConnectionString, IResourceWithWaitSupport
{
    /// <summary>The database's name on the server.</summary>
    public string DatabaseName { get; } = databaseName;

    /// <summary>The server.</summary>
    public PostgresServerResource Server { get; } = parent;

    /// <inheritdoc />
    public IResource Parent => Server;

    /// <inheritdoc />
    public ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"{Server};Database={DatabaseName}");
}
