using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;

namespace MlOps.AppHost;

/// <summary>Before anything starts: a fixed port that is taken is one line naming the setting, instead of a resource (or
/// the dashboard) failing later with a stack trace.</summary>
internal static class PortCheck
{
    public static string? FirstTaken(IDistributedApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        // Aspire.Hosting.Testing randomizes ports, and publishing binds nothing.
        if (builder.ExecutionContext.IsPublishMode || configuration.GetValue<bool>("DcpPublisher:RandomizePorts"))
        {
            return null;
        }

        (string Setting, string? Value)[] ports =
        [
            (AppHostSettings.MlflowPortKey, configuration[AppHostSettings.MlflowPortKey] ?? "5000"),
            (AppHostSettings.ServingPortKey, configuration[AppHostSettings.ServingPortKey] ?? "8000"),
            ("ASPNETCORE_URLS (the dashboard)", configuration["ASPNETCORE_URLS"]),
            ("ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL", configuration["ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL"]),
            ("ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL", configuration["ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL"]),
            ("ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL", configuration["ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL"]),
        ];
        foreach (var (setting, value) in ports)
        {
            foreach (var port in Ports(value))
            {
                if (IsTaken(port))
                {
                    return $"port {port} is in use (setting {setting}): stop what listens there, or give {setting} another port.";
                }
            }
        }

        return null;
    }

    // "5000", "http://localhost:18888" or "https://localhost:17000;http://localhost:15000".
    private static IEnumerable<int> Ports(string? value) => (value ?? "")
        .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        .Select(v => int.TryParse(v, out var port) ? port : Uri.TryCreate(v, UriKind.Absolute, out var uri) ? uri.Port : 0)
        .Where(p => p > 0);

    private static bool IsTaken(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return false;
        }
        catch (SocketException)
        {
            return true;
        }
    }
}
