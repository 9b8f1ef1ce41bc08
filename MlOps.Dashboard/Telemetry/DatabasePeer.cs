using System.Globalization;

namespace MlOps.Dashboard.Telemetry;

/// <summary>Reads the peer of a database client span from its semantic-convention attributes: <c>db.system</c> (or
/// <c>db.system.name</c>) with <c>server.port</c>, or the older <c>net.peer.port</c>.</summary>
internal static class DatabasePeer
{
    public static int? Port(IReadOnlyList<KeyValuePair<string, string>> attributes)
    {
        string? system = null;
        string? port = null;
        foreach (var (key, value) in attributes)
        {
            switch (key)
            {
                case "db.system" or "db.system.name":
                    system = value;
                    break;
                case "server.port":
                    port = value;
                    break;
                case "net.peer.port":
                    port ??= value;
                    break;
            }
        }

        return system is not null && int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? number : null;
    }
}
