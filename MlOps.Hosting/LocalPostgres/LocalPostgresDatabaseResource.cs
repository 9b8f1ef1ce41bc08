using System.Data.Common;

namespace Aspire.Hosting.ApplicationModel;

/// <summary>A database on a <see cref="LocalPostgresServerResource"/>, created when the server is ready; its connection
/// string is the server's plus <c>;Database=…</c>, as <c>PostgresDatabaseResource</c>'s.</summary>
/// <param name="name">The resource name (the connection string's name when referenced).</param>
/// <param name="databaseName">The database's name on the server.</param>
/// <param name="parent">The server.</param>
public class LocalPostgresDatabaseResource(string name, string databaseName, LocalPostgresServerResource parent)
    : Resource(name), IResourceWithParent<LocalPostgresServerResource>, IResourceWithConnectionString
{
    /// <inheritdoc />
    public LocalPostgresServerResource Parent { get; } = parent ?? throw new ArgumentNullException(nameof(parent));

    /// <summary>The database's name on the server.</summary>
    public string DatabaseName { get; } = databaseName;

    /// <inheritdoc />
    public ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"{Parent};{new DbConnectionStringBuilder { ["Database"] = DatabaseName }.ConnectionString}");
}
