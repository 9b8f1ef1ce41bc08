using System.Collections.Concurrent;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using MlOps.Hosting;
using MlOps.Hosting.ApplicationModel;
using MlOps.Hosting.Orchestration;
using MlOps.Hosting.Orchestration.Runtime;
using MlOps.Tests.Infrastructure;

namespace MlOps.Tests.Hosting.Orchestration;

/// <summary>An app under test: its builder on a temp folder, and every snapshot it publishes, recorded in order.</summary>
public sealed class OrchestrationTestApp : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<ResourceSnapshot> _history = new();
    private Task _recording = Task.CompletedTask;
    private DistributedApplication? _app;

    public OrchestrationTestApp(string folder, params string[] args)
    {
        Folder = folder;
        // A short grace period keeps stop tests quick; the default (10 s) is for real services. Local mode unless the test
        // says otherwise (later arguments win), so that a Docker engine on the machine does not change these tests.
        Builder = DistributedApplication.CreateBuilder(["--data-dir", folder, "--AppHost:StopGracePeriod=5", "--runtime", "local", .. args],
            appHostDirectory: folder);
    }

    public string Folder { get; }

    public DistributedApplicationBuilder Builder { get; }

    public DistributedApplication App => _app ?? throw new InvalidOperationException("Not started.");

    public ResourceNotificationService Notifications => App.Services.GetRequiredService<ResourceNotificationService>();

    public ResourceLoggerService Logs => App.Services.GetRequiredService<ResourceLoggerService>();

    public IResourceCommandService Commands => App.Services.GetRequiredService<IResourceCommandService>();

    public IReadOnlyList<ResourceSnapshot> History => _history.ToArray();

    /// <summary>An executable running <c>bash -c script</c> in the app's folder.</summary>
    public IResourceBuilder<ExecutableResource> AddBash(string name, string script) =>
        Builder.AddExecutable(name, "bash", Folder, "-c", script);

    /// <summary>A <c>python3 -m http.server</c> on a free port with an HTTP health check on <c>/</c>.</summary>
    public IResourceBuilder<ExecutableResource> AddHttpServer(string name)
    {
        var server = Builder.AddExecutable(name, "/usr/bin/python3", Folder).WithHttpEndpoint();
        return server.WithArgs("-m", "http.server", server.GetEndpoint("http").Property(EndpointProperty.Port), "--bind", "127.0.0.1")
            .WithHttpHealthCheck("/");
    }

    public async Task StartAsync()
    {
        _app = Builder.Build();
        var ready = new TaskCompletionSource();
        _recording = Task.Run(async () =>
        {
            try
            {
                var watch = Notifications.WatchAsync(_stop.Token);
                ready.TrySetResult();
                await foreach (var snapshot in watch)
                {
                    _history.Enqueue(snapshot);
                }
            }
            catch (OperationCanceledException)
            {
            }
        });
        await ready.Task.DefaultTimeout();
        await App.StartAsync().DefaultTimeout();
    }

    public Task<ResourceSnapshot> WaitForAsync(string name, Func<ResourceSnapshot, bool> predicate) =>
        Notifications.WaitForAsync(name, predicate).DefaultTimeout();

    public Task<ResourceSnapshot> WaitForStateAsync(string name, ResourceState state) => WaitForAsync(name, s => s.State == state);

    public Task<ResourceSnapshot> WaitForHealthyAsync(string name) =>
        WaitForAsync(name, s => s.State == ResourceState.Running && s.Health == ResourceHealthStatus.Healthy);

    /// <summary>The version of the first recorded snapshot of <paramref name="name"/> matching <paramref name="predicate"/>.</summary>
    public long FirstVersion(string name, Func<ResourceSnapshot, bool> predicate) =>
        History.Where(s => s.Name == name && predicate(s)).Select(s => s.Version).DefaultIfEmpty(long.MaxValue).Min();

    public async Task<ResourceCommandResult> ExecuteAsync(string name, string command) =>
        await Commands.ExecuteAsync(name, command, CancellationToken.None).DefaultTimeout();

    public static async Task<int> ReadPidAsync(string path)
    {
        for (var i = 0; i < 100; i++)
        {
            if (File.Exists(path) && int.TryParse((await File.ReadAllTextAsync(path)).Trim(), out var pid))
            {
                return pid;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"{path} was not written");
    }

    public static bool IsAlive(int pid) => ProcessTree.IsAlive(pid);

    public static bool IsListening(int port)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect("127.0.0.1", port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync().DefaultTimeout();
            await _app.DisposeAsync();
        }

        await _stop.CancelAsync();
        await _recording.DefaultTimeout();
    }
}
