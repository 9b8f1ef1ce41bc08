using MlOps.Hosting;
using MlOps.Hosting.ApplicationModel;

namespace MlOps.AppHost;

/// <summary>Connection strings in the forms other tools expect.</summary>
internal static class Expressions
{
    /// <summary>SQLAlchemy's URI (what <c>mlflow server --backend-store-uri</c> takes): <c>postgresql://user:password@host:port/db</c>.
    /// The generated password is alphanumeric, so it needs no escaping.</summary>
    public static ReferenceExpression PostgresUri(IResourceBuilder<PostgresServerResource> server, PostgresDatabaseResource database)
    {
        var endpoint = server.Resource.PrimaryEndpoint;
        return ReferenceExpression.Create(
            $"postgresql://{PostgresServerResource.UserName}:{server.Resource.PasswordParameter}@{endpoint.Property(EndpointProperty.Host)}:{endpoint.Property(EndpointProperty.Port)}/{database.DatabaseName}");
    }
}
