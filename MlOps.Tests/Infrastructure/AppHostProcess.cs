using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using MlOps.Hosting.Orchestration;

namespace MlOps.Tests.Infrastructure;

/// <summary>The real AppHost (<c>dotnet MlOps.AppHost.dll</c>) as a child process of the test, on its own data folder and
/// free ports, with the dashboard API's state stream recorded from the first snapshot on.</summary>
public sealed class AppHostProcess : IAsyncDisposable
{
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();
    private readonly List<ResourceSnapshot> _history = [];
    private readonly SemaphoreSlim _changed = new(0);
    private readonly CancellationTokenSource _stop = new();
    private Task? _watch;

    private AppHostProcess(Process process, string dataDirectory, int dashboardPort, string token, IReadOnlyDictionary<string, int> ports)
    {
        _process = process;
        DataDirectory = dataDirectory;
        Ports = ports;
        Token = token;
        Api = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{dashboardPort}"), Timeout = TimeSpan.FromSeconds(60) };
        Api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
    }

    public string DataDirectory { get; }

    public IReadOnlyDictionary<string, int> Ports { get; }

    public string Token { get; }

    /// <summary>The dashboard's JSON API, authenticated with the login token.</summary>
    public HttpClient Api { get; }

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    public string Output => string.Join('\n', _output);

    /// <summary>Every snapshot received so far, in order.</summary>
    public IReadOnlyList<ResourceSnapshot> History
    {
        get
        {
            lock (_history)
            {
                return _history.ToArray();
            }
        }
    }

    /// <summary>Starts the AppHost with <paramref name="settings"/> (<c>Key=Value</c> configuration) and waits for its API.</summary>
    public static async Task<AppHostProcess> StartAsync(string dataDirectory, params string[] settings)
    {
        var ports = new Dictionary<string, int>
        {
            ["dashboard"] = FreePorts.Next(),
            ["mlflow"] = FreePorts.Next(),
            ["serving"] = FreePorts.Next(),
            ["otlp-grpc"] = FreePorts.Next(),
            ["otlp-http"] = FreePorts.Next(),
        };
        var token = Guid.NewGuid().ToString("N");
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = dataDirectory,
        };
        info.ArgumentList.Add(AppHostAssembly());
        foreach (var arg in new[]
        {
            $"--AppHost:DataDirectory={dataDirectory}",
            $"--Dashboard:Url=http://127.0.0.1:{ports["dashboard"]}",
            $"--Dashboard:BrowserToken={token}",
            $"--Dashboard:OtlpGrpcUrl=http://127.0.0.1:{ports["otlp-grpc"]}",
            $"--Dashboard:OtlpHttpUrl=http://127.0.0.1:{ports["otlp-http"]}",
            $"--Ports:mlflow={ports["mlflow"]}",
            $"--Ports:serving={ports["serving"]}",
            "--Training:Rows=20000",
            // Local mode unless the test says otherwise (a later setting wins): a Docker engine must not change these tests.
            "--AppHost:Runtime=local",
        }.Concat(settings.Select(s => "--" + s)))
        {
            info.ArgumentList.Add(arg);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start the AppHost");
        var host = new AppHostProcess(process, dataDirectory, ports["dashboard"], token, ports);
        process.OutputDataReceived += (_, e) => host.Capture(e.Data);
        process.ErrorDataReceived += (_, e) => host.Capture(e.Data is null ? null : "[stderr] " + e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await host.WaitForApiAsync().DefaultTimeout(TimeSpan.FromSeconds(60));
        host._watch = Task.Run(host.WatchAsync);
        return host;
    }

    /// <summary>Waits until <paramref name="name"/>'s latest snapshot satisfies <paramref name="predicate"/>.</summary>
    public async Task<ResourceSnapshot> WaitForAsync(string name, Func<ResourceSnapshot, bool> predicate, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (true)
        {
            var latest = History.LastOrDefault(s => s.Name == name);
            if (latest is not null && predicate(latest))
            {
                return latest;
            }

            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The AppHost exited ({_process.ExitCode}) while waiting for '{name}'.\n{Output}");
            }

            try
            {
                await _changed.WaitAsync(TimeSpan.FromSeconds(1), cts.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"'{name}' did not reach the expected state within {timeout}; last: {latest?.State} {latest?.Health} {latest?.Reason}\n{Output}");
            }
        }
    }

    public Task<ResourceSnapshot> WaitForHealthyAsync(string name, TimeSpan timeout) =>
        WaitForAsync(name, s => s.State == ResourceState.Running && s.Health == ResourceHealthStatus.Healthy, timeout);

    /// <summary>The latest snapshot of every resource, from the API.</summary>
    public async Task<ResourceSnapshot[]> GetResourcesAsync() =>
        (await Api.GetFromJsonAsync<ResourceSnapshot[]>("/api/resources", s_json).DefaultTimeout())!;

    /// <summary>Runs a command through the dashboard API.</summary>
    public Task<HttpResponseMessage> CommandAsync(string resource, string command) =>
        Api.PostAsync($"/api/resources/{resource}/commands/{command}", content: null).DefaultTimeout();

    /// <summary>Sends SIGINT (Ctrl+C) and waits for the AppHost to exit; returns its exit code.</summary>
    public async Task<int> InterruptAsync(TimeSpan timeout)
    {
        using (var kill = Process.Start("kill", ["-INT", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill!.WaitForExitAsync().DefaultTimeout();
        }

        await _process.WaitForExitAsync().DefaultTimeout(timeout);
        return _process.ExitCode;
    }

    /// <summary>SIGKILL: the AppHost gets no chance to clean up.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: false);
        await _process.WaitForExitAsync().DefaultTimeout();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (!_process.HasExited)
        {
            try
            {
                await InterruptAsync(TimeSpan.FromSeconds(60));
            }
            catch (TimeoutException)
            {
                _process.Kill(entireProcessTree: true);
            }
        }

        if (_watch is not null)
        {
            await Task.WhenAny(_watch, Task.Delay(5000));
        }

        _process.Dispose();
        Api.Dispose();
        _stop.Dispose();
    }

    private void Capture(string? line)
    {
        if (line is not null)
        {
            _output.Enqueue(line);
        }
    }

    private async Task WaitForApiAsync()
    {
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The AppHost exited with {_process.ExitCode} before its API answered.\n{Output}");
            }

            try
            {
                using var response = await Api.GetAsync("/api/resources");
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(200);
        }
    }

    private async Task WatchAsync()
    {
        try
        {
            using var response = await Api.GetAsync("/api/resources/watch", HttpCompletionOption.ResponseHeadersRead, _stop.Token);
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(_stop.Token));
            while (await reader.ReadLineAsync(_stop.Token) is { } line)
            {
                if (line.Length == 0)
                {
                    continue;
                }

                var snapshot = JsonSerializer.Deserialize<ResourceSnapshot>(line, s_json)!;
                lock (_history)
                {
                    _history.Add(snapshot);
                }

                _changed.Release();
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or HttpRequestException or IOException)
        {
            // The AppHost stopped or the test ended.
        }
    }

    /// <summary>The folder holding MlOps.sln.</summary>
    public static string RepositoryRoot
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "MlOps.sln")))
            {
                dir = dir.Parent;
            }

            return dir?.FullName ?? throw new InvalidOperationException("MlOps.sln not found above the test folder");
        }
    }

    /// <summary>The AppHost built in the test's configuration (the test project builds it without referencing it).</summary>
    public static string AppHostAssembly()
    {
        var configuration = typeof(AppHostProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";
        var path = Path.Combine(RepositoryRoot, "MlOps.AppHost", "bin", configuration, "net10.0", "MlOps.AppHost.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException($"Build the AppHost first: {path} is missing.");
    }
}
