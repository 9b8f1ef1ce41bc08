using MlOps.Hosting;

namespace MlOps.Dashboard;

internal sealed class DashboardLink(DashboardWebHost host, string token) : IDashboardLink
{
    public Uri? LoginUrl => host.Address is { } address ? new Uri(address, $"/login?t={token}") : null;
}
