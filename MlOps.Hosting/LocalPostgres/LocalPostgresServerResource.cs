namespace Aspire.Hosting.ApplicationModel;

/// <summary>PostgreSQL run from the machine's server binaries (no container engine needed), with the same connection
/// string contract as <c>AddPostgres</c>: <c>Host=…;Port=…;Username=postgres;Password=…</c>.</summary>
/// <param name="name">The resource name.</param>
/// <param name="password">The <c>postgres</c> user's password.</param>
/// <param name="dataDirectory">The folder holding the cluster and its start script, kept between runs like a volume.</param>
public class LocalPostgresServerResource(string name, ParameterResource password, string dataDirectory)
    : ExecutableResource(name, "/bin/sh", dataDirectory), IResourceWithConnectionString
{
    internal const string PrimaryEndpointName = "tcp";

    /// <summary>The user the AppHost connects as (initdb's superuser).</summary>
    public const string UserName = "postgres";

    private readonly Dictionary<string, string> _databases = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The server's endpoint (Aspire allocates the port and passes it as <c>PGPORT</c>).</summary>
    public EndpointReference PrimaryEndpoint => new(this, PrimaryEndpointName);

    /// <summary>The <c>postgres</c> user's password.</summary>
    public ParameterResource PasswordParameter { get; } = password;

    /// <summary>The folder holding the cluster (<c>data/</c>) and the start script.</summary>
    public string DataDirectory { get; internal set; } = dataDirectory;

    /// <summary>The folder holding <c>initdb</c> and <c>postgres</c>; found at start when null.</summary>
    public string? BinDirectory { get; internal set; }

    /// <summary>The databases created on this server once it is ready: resource name → database name.</summary>
    public IReadOnlyDictionary<string, string> Databases => _databases;

    /// <inheritdoc />
    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create(
        $"Host={PrimaryEndpoint.Property(EndpointProperty.Host)};Port={PrimaryEndpoint.Property(EndpointProperty.Port)};Username={UserName};Password={PasswordParameter}");

    internal void AddDatabase(string name, string databaseName) => _databases.TryAdd(name, databaseName);
}
