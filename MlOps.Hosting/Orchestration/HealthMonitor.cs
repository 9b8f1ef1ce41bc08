using System.Collections.Immutable;
using System.Globalization;
using MlOps.Hosting.ApplicationModel;
using Npgsql;

namespace MlOps.Hosting.Orchestration;

/// <summary>Runs a running resource's health checks every second until healthy, then every five seconds, and
/// publishes <see cref="ResourceSnapshot.Health"/> and <see cref="ResourceSnapshot.HealthReports"/> when they change.</summary>
internal sealed class HealthMonitor(ResourceNotificationService notifications, OrchestratorOptions options) : IDisposable
{
    private readonly HttpClient _http = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromSeconds(30) })
    {
        Timeout = TimeSpan.FromSeconds(5),
    };

    public async Task RunAsync(ResourcePlan plan, CancellationToken cancellationToken)
    {
        var checks = plan.HealthChecks;
        while (!cancellationToken.IsCancellationRequested)
        {
            var reports = new List<ResourceHealthReport>(checks.Count);
            foreach (var check in checks)
            {
                reports.Add(await CheckAsync(plan, check, cancellationToken).ConfigureAwait(false));
            }

            var status = reports.All(r => r.Status == ResourceHealthStatus.Healthy) ? ResourceHealthStatus.Healthy : ResourceHealthStatus.Unhealthy;
            Publish(plan.Name, status, [.. reports]);
            await Task.Delay(status == ResourceHealthStatus.Healthy ? options.HealthyCheckInterval : options.HealthCheckInterval, cancellationToken)
                .ConfigureAwait(false);
        }
    }

    public void Dispose() => _http.Dispose();

    private void Publish(string name, ResourceHealthStatus status, ImmutableArray<ResourceHealthReport> reports)
    {
        var current = notifications.Get(name);
        if (current is null || current.State != ResourceState.Running)
        {
            return;
        }

        var changed = current.Health != status || current.HealthReports.Length != reports.Length
            || current.HealthReports.Zip(reports).Any(p => p.First.Status != p.Second.Status || p.First.Description != p.Second.Description);
        if (changed)
        {
            notifications.Update(name, s => s.State == ResourceState.Running ? s with { Health = status, HealthReports = reports } : s);
        }
    }

    private async Task<ResourceHealthReport> CheckAsync(ResourcePlan plan, IResourceAnnotation check, CancellationToken cancellationToken)
    {
        var (name, probe) = check switch
        {
            HttpHealthCheckAnnotation http => ($"http {http.Path}", (Func<Task<string?>>)(() => CheckHttpAsync(plan, http, cancellationToken))),
            _ => ("postgres", () => CheckPostgresAsync(plan, cancellationToken)),
        };
        try
        {
            var failure = await probe().ConfigureAwait(false);
            return new ResourceHealthReport(name, failure is null ? ResourceHealthStatus.Healthy : ResourceHealthStatus.Unhealthy, failure, DateTimeOffset.UtcNow);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            return new ResourceHealthReport(name, ResourceHealthStatus.Unhealthy, e.Message, DateTimeOffset.UtcNow);
        }
    }

    private async Task<string?> CheckHttpAsync(ResourcePlan plan, HttpHealthCheckAnnotation check, CancellationToken cancellationToken)
    {
        var endpoint = plan.Endpoints.FirstOrDefault(e => e.Name == check.EndpointName)?.AllocatedEndpoint
            ?? throw new HttpRequestException($"no allocated endpoint '{check.EndpointName}'");
        var scheme = plan.Endpoints.First(e => e.Name == check.EndpointName).UriScheme;
        var url = $"{scheme}://{endpoint.Host}:{endpoint.Port.ToString(CultureInfo.InvariantCulture)}{check.Path}";
        using var response = await _http.GetAsync(url, cancellationToken).ConfigureAwait(false);
        var code = (int)response.StatusCode;
        return code == check.StatusCode ? null : $"GET {check.Path} answered {code.ToString(CultureInfo.InvariantCulture)}";
    }

    private static async Task<string?> CheckPostgresAsync(ResourcePlan plan, CancellationToken cancellationToken)
    {
        if (plan.Resource is not PostgresServerResource server)
        {
            return "not a PostgreSQL server";
        }

        await using var connection = new NpgsqlConnection(await LocalPostgres.AdminConnectionStringAsync(server, cancellationToken).ConfigureAwait(false));
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        return null;
    }
}
