using System.Collections.Concurrent;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using MlOps.Tests.Infrastructure;

namespace MlOps.Tests.AppHost;

/// <summary>The real AppHost (Projects.MlOps_AppHost) started through Aspire.Hosting.Testing on its own data folder, with
/// every resource state change recorded from the first one on. Waits fail at once, with the reason and the failed
/// resource's log, when the resource or anything it waits for fails.</summary>
public sealed class MlOpsApp : IAsyncDisposable
{
    private readonly ConcurrentQueue<ResourceEvent> _history = new();
    private readonly CancellationTokenSource _stop = new();
    private Task? _recording;

    private MlOpsApp(DistributedApplication app, string dataDirectory)
    {
        App = app;
        DataDirectory = dataDirectory;
    }

    public DistributedApplication App { get; }

    public string DataDirectory { get; }

    /// <summary>Every state change so far, in order.</summary>
    public IReadOnlyList<ResourceEvent> History => [.. _history];

    public ResourceNotificationService Notifications => App.ResourceNotifications;

    /// <summary>Starts the AppHost in local mode (unless <paramref name="settings"/> say otherwise: a later setting wins)
    /// with 20,000 rows of training data.</summary>
    public static async Task<MlOpsApp> StartAsync(string dataDirectory, bool dashboard = false, params string[] settings)
    {
        // Without the dashboard the launch profile's fixed ports would still be handed to the services (OTLP), so the
        // user's own AppHost keeps them; with it, Aspire.Hosting.Testing gives the dashboard free ports itself.
        string[] ports = dashboard ? [] :
        [
            $"--ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL=http://127.0.0.1:{FreePorts.Next()}",
            $"--ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL=http://127.0.0.1:{FreePorts.Next()}",
            $"--ASPNETCORE_URLS=http://127.0.0.1:{FreePorts.Next()}",
        ];
        string[] args =
        [
            $"--AppHost:DataDirectory={dataDirectory}",
            "--Training:Rows=20000",
            "--AppHost:Runtime=local",
            .. ports,
            .. settings.Select(s => "--" + s),
        ];
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.MlOps_AppHost>(
            new DistributedApplicationTestingBuilderOptions { EnableDashboard = dashboard }, args).DefaultTimeout();
        var app = new MlOpsApp(await builder.BuildAsync().DefaultTimeout(), dataDirectory);
        app._recording = app.RecordAsync();
        await app.App.StartAsync().DefaultTimeout(TimeSpan.FromMinutes(10));
        return app;
    }

    /// <summary>Waits until <paramref name="name"/>'s state satisfies <paramref name="predicate"/>; throws at once when
    /// it, or a resource it waits for, has failed.</summary>
    public async Task<ResourceEvent> WaitForAsync(string name, Func<CustomResourceSnapshot, bool> predicate, TimeSpan timeout)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        cts.CancelAfter(timeout);
        try
        {
            await foreach (var change in Notifications.WatchAsync(cts.Token))
            {
                if (change.Resource.Name == name && predicate(change.Snapshot))
                {
                    return change;
                }

                if (Failure(change) is { } failed && (failed == name || DependsOn(name, failed)))
                {
                    throw new Xunit.Sdk.XunitException(
                        $"'{name}' cannot get there: '{failed}' is {change.Snapshot.State?.Text} (exit code {change.Snapshot.ExitCode}).\n{await LogTailAsync(failed)}");
                }
            }
        }
        catch (OperationCanceledException) when (!_stop.IsCancellationRequested)
        {
            // Timed out: reported below with every resource's state.
        }

        throw new TimeoutException($"'{name}' did not get there within {timeout}.\n{Describe()}\n{await LogTailAsync(name)}");
    }

    /// <summary>Ran to completion with exit code 0 (projects end Finished, containers Exited).</summary>
    public static bool Completed(CustomResourceSnapshot s) =>
        (s.State?.Text == KnownResourceStates.Finished || s.State?.Text == KnownResourceStates.Exited) && s.ExitCode == 0;

    public Task<ResourceEvent> WaitForHealthyAsync(string name, TimeSpan timeout) =>
        WaitForAsync(name, s => s.State?.Text == KnownResourceStates.Running && s.HealthStatus == Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy, timeout);

    public Task<ExecuteCommandResult> CommandAsync(string resource, string command) =>
        App.Services.GetRequiredService<ResourceCommandService>().ExecuteCommandAsync(resource, command).DefaultTimeout();

    public HttpClient Client(string resource) => App.CreateHttpClient(resource, "http");

    /// <summary>The last lines of a resource's console log.</summary>
    public async Task<string> LogTailAsync(string name, int lines = 30)
    {
        var tail = new Queue<string>();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            // By the resource, not its name: the log is kept under the resource's instance name (e.g. postgres-abcd1234).
            var resource = App.Services.GetRequiredService<DistributedApplicationModel>().Resources.Single(r => r.Name == name);
            await foreach (var batch in App.Services.GetRequiredService<ResourceLoggerService>().GetAllAsync(resource).WithCancellation(cts.Token))
            {
                foreach (var line in batch)
                {
                    tail.Enqueue(line.Content);
                    if (tail.Count > lines)
                    {
                        tail.Dequeue();
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
            // What arrived in time.
        }

        return $"--- {name} log ---\n{string.Join('\n', tail)}";
    }

    public string Describe() => string.Join('\n', _history.GroupBy(e => e.Resource.Name).Select(g => g.Last())
        .Select(e => $"{e.Resource.Name}: {e.Snapshot.State?.Text} {e.Snapshot.HealthStatus} exit={e.Snapshot.ExitCode}"));

    public async ValueTask DisposeAsync()
    {
        try
        {
            await App.StopAsync().DefaultTimeout(TimeSpan.FromMinutes(2));
        }
        finally
        {
            await _stop.CancelAsync();
            await App.DisposeAsync();
            if (_recording is not null)
            {
                await Task.WhenAny(_recording, Task.Delay(5000));
            }

            _stop.Dispose();
        }
    }

    private static string? Failure(ResourceEvent change) => change.Snapshot.State?.Text switch
    {
        var s when s == KnownResourceStates.FailedToStart => change.Resource.Name,
        var s when (s == KnownResourceStates.Exited || s == KnownResourceStates.Finished) && change.Snapshot.ExitCode is not (null or 0) => change.Resource.Name,
        _ => null,
    };

    private bool DependsOn(string name, string dependency)
    {
        var resource = App.Services.GetRequiredService<DistributedApplicationModel>().Resources.Single(r => r.Name == name);
        return resource.TryGetAnnotationsOfType<WaitAnnotation>(out var waits)
            && waits.Any(w => w.Resource.Name == dependency || DependsOn(w.Resource.Name, dependency));
    }

    private async Task RecordAsync()
    {
        try
        {
            await foreach (var change in Notifications.WatchAsync(_stop.Token))
            {
                _history.Enqueue(change);
            }
        }
        catch (OperationCanceledException)
        {
            // The test ended.
        }
    }
}
