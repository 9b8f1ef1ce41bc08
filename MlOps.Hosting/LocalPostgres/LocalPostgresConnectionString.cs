using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Eventing;

namespace MlOps.Hosting.LocalPostgres;

/// <summary>A resource's connection string, caught when Aspire announces it (as <c>AddPostgres</c> does for its checks).</summary>
internal sealed class LocalPostgresConnectionString
{
    private string? _value;

    public LocalPostgresConnectionString(IDistributedApplicationEventing eventing, IResourceWithConnectionString resource) =>
        eventing.Subscribe<ConnectionStringAvailableEvent>(resource, async (_, ct) =>
            _value = await resource.GetConnectionStringAsync(ct).ConfigureAwait(false)
                ?? throw new DistributedApplicationException($"'{resource.Name}' announced a connection string that is null."));

    public string Value => _value ?? throw new InvalidOperationException("The connection string is not available yet.");
}
