using MlOps.Dashboard.Telemetry;
using MlOps.Hosting.Orchestration;

namespace MlOps.Dashboard.Peers;

/// <summary>Names uninstrumented peers as Aspire does: a database client span whose port is one of a resource's endpoint
/// ports is shown under that resource (a training trace touches trainer, mlflow and postgres). Used by the JSON API
/// and the pages.</summary>
internal sealed class PeerServiceResolver(ResourceNotificationService notifications)
{
    public TraceSummary Annotate(TraceSummary summary)
    {
        if (summary.PeerPorts.Count == 0)
        {
            return summary;
        }

        var ports = PortMap();
        var peers = summary.PeerPorts.Select(p => ports.GetValueOrDefault(p)).OfType<string>()
            .Where(p => !summary.Services.Contains(p, StringComparer.Ordinal)).Distinct(StringComparer.Ordinal).ToArray();
        return summary with { PeerServices = peers };
    }

    public TraceDetail Annotate(TraceDetail trace)
    {
        var ports = PortMap();
        var spans = trace.Spans
            .Select(s => DatabasePeer.Port(s.Attributes) is { } port && ports.TryGetValue(port, out var peer) ? s with { PeerService = peer } : s)
            .ToArray();
        return new TraceDetail(Annotate(trace.Summary), spans);
    }

    // Endpoint port → resource; a server resource wins over its children (postgres over its database).
    private Dictionary<int, string> PortMap()
    {
        var map = new Dictionary<int, string>();
        foreach (var resource in notifications.Current.OrderBy(r => r.Parent is null ? 0 : 1))
        {
            foreach (var url in resource.Urls)
            {
                if (Uri.TryCreate(url.Url, UriKind.Absolute, out var uri) && uri.Port > 0)
                {
                    map.TryAdd(uri.Port, resource.Name);
                }
            }
        }

        return map;
    }
}
