using System.Net;
using System.Net.Sockets;

namespace MlOps.Tests.Infrastructure;

/// <summary>
/// A TCP relay on 127.0.0.1 in front of a real server that resets the first connection once it has relayed more than
/// <c>cutAfterBytes</c> of the server's answer, and relays everything after that untouched: a network that drops a
/// download half-way, on demand, without faking the server.
/// </summary>
public sealed class ConnectionCuttingProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly int _targetPort;
    private readonly long _cutAfterBytes;
    private readonly Task _accepting;
    private int _cuts;

    public ConnectionCuttingProxy(int targetPort, long cutAfterBytes)
    {
        _targetPort = targetPort;
        _cutAfterBytes = cutAfterBytes;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>How many connections were cut (at most one).</summary>
    public int Cuts => Volatile.Read(ref _cuts);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting.WaitAsync(TimeSpan.FromSeconds(10)).ContinueWith(_ => { }, TaskScheduler.Default);
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = RelayAsync(client);
        }
    }

    private async Task RelayAsync(TcpClient client)
    {
        using (client)
        using (var server = new TcpClient())
        {
            try
            {
                await server.ConnectAsync(IPAddress.Loopback, _targetPort, _stop.Token);
                var up = client.GetStream().CopyToAsync(server.GetStream(), _stop.Token);
                var down = CopyDownAsync(server.GetStream(), client);
                await Task.WhenAny(up, down);
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // A relay ends when either side goes away.
            }
        }
    }

    private async Task CopyDownAsync(NetworkStream from, TcpClient to)
    {
        var buffer = new byte[64 * 1024];
        long relayed = 0;
        int read;
        while ((read = await from.ReadAsync(buffer, _stop.Token)) > 0)
        {
            await to.GetStream().WriteAsync(buffer.AsMemory(0, read), _stop.Token);
            relayed += read;
            if (relayed > _cutAfterBytes && Interlocked.CompareExchange(ref _cuts, 1, 0) == 0)
            {
                // Linger 0 makes Close send a reset, as a dropped connection looks to the client.
                to.LingerState = new LingerOption(true, 0);
                to.Close();
                return;
            }
        }
    }
}
