using System.Net;
using System.Net.Sockets;
using MlOps.Hosting.ApplicationModel;

namespace MlOps.Hosting.Orchestration;

/// <summary>Chooses the ports of endpoints: a fixed port as is, otherwise a free one on 127.0.0.1.</summary>
internal static class EndpointAllocator
{
    public const string Host = "localhost";

    /// <summary>Allocates every endpoint that has no allocation yet (all at start-up, so references resolve early).</summary>
    public static void Allocate(IEnumerable<EndpointAnnotation> endpoints)
    {
        foreach (var endpoint in endpoints)
        {
            endpoint.AllocatedEndpoint ??= new AllocatedEndpoint(Host, endpoint.Port ?? FreePort());
        }
    }

    /// <summary>Just before a launch: null when every port can be bound, else why not. A taken free port is replaced.</summary>
    public static string? CheckAvailable(string resourceName, IEnumerable<EndpointAnnotation> endpoints)
    {
        foreach (var endpoint in endpoints)
        {
            var allocated = endpoint.AllocatedEndpoint ??= new AllocatedEndpoint(Host, endpoint.Port ?? FreePort());
            if (IsFree(allocated.Port))
            {
                continue;
            }

            if (endpoint.Port is { } fixedPort)
            {
                return $"port {fixedPort} of resource '{resourceName}' is already in use";
            }

            endpoint.AllocatedEndpoint = allocated with { Port = FreePort() };
        }

        return null;
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static bool IsFree(int port)
    {
        try
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            // Connections of a stopped server linger in TIME_WAIT; only a live listener makes the port busy.
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            socket.Bind(new IPEndPoint(IPAddress.Loopback, port));
            socket.Listen();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
