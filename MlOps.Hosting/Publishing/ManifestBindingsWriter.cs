using System.Text.Json;
using MlOps.Hosting.ApplicationModel;

namespace MlOps.Hosting.Publishing;

/// <summary>Writes <c>bindings</c> the way Aspire 8 does: <c>targetPort</c> is the declared one (a container's
/// fixed port when only that is given); a project's first HTTP(S) endpoint without one leaves it to the deployment
/// tool; anything else gets a port from 8000 up. <c>port</c> appears only when fixed and different from the target.</summary>
internal sealed class ManifestBindingsWriter(Utf8JsonWriter writer)
{
    private const int FirstAllocatedPort = 8000;
    private readonly HashSet<int> _usedPorts = [];

    public void Write(IResource resource)
    {
        var endpoints = resource.Annotations.OfType<EndpointAnnotation>().ToList();
        if (endpoints.Count == 0)
        {
            return;
        }

        var defaultSchemesSeen = new HashSet<string>(StringComparer.Ordinal);
        writer.WriteStartObject("bindings");
        foreach (var endpoint in endpoints)
        {
            var isHttp = endpoint.UriScheme is "http" or "https";
            var targetPort = endpoint.TargetPort
                ?? (resource is ContainerResource ? endpoint.Port : null)
                ?? (resource is ProjectResource && isHttp && defaultSchemesSeen.Add(endpoint.UriScheme) ? null : AllocatePort());
            if (resource is ProjectResource && isHttp)
            {
                defaultSchemesSeen.Add(endpoint.UriScheme);
            }

            int? port = endpoint.Port == targetPort ? null : endpoint.Port;
            if (port is null && targetPort is null && !isHttp)
            {
                port = AllocatePort();
            }

            writer.WriteStartObject(endpoint.Name);
            writer.WriteString("scheme", endpoint.UriScheme);
            writer.WriteString("protocol", "tcp");
            writer.WriteString("transport", endpoint.Transport);
            WritePort("port", port);
            WritePort("targetPort", targetPort);
            if (endpoint.IsExternal)
            {
                writer.WriteBoolean("external", true);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }

    private void WritePort(string name, int? port)
    {
        if (port is int value)
        {
            _usedPorts.Add(value);
            writer.WriteNumber(name, value);
        }
    }

    private int? AllocatePort()
    {
        var port = FirstAllocatedPort;
        while (_usedPorts.Contains(port))
        {
            port++;
        }

        _usedPorts.Add(port);
        return port;
    }
}
