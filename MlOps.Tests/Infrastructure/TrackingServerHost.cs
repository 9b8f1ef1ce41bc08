using Microsoft.AspNetCore.Builder;

namespace MlOps.Tests.Infrastructure;

/// <summary>
/// The real MlOps.Tracking server on Kestrel at 127.0.0.1 on a free port, with a fresh database and artifact folder:
/// for clients that need a real URL (the trainer reads MLFLOW_TRACKING_URI). <see cref="StopAsync"/> takes it down
/// while the test goes on, to see how clients cope with a server that went away.
/// </summary>
public sealed class TrackingServerHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly TempDirectory _artifacts;
    private bool _stopped;

    private TrackingServerHost(WebApplication app, TempDirectory artifacts, Uri baseAddress)
    {
        _app = app;
        _artifacts = artifacts;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public string ArtifactsRoot => _artifacts.Path;

    /// <summary>Starts a server; <paramref name="settings"/> are extra <c>--Key=Value</c> configuration arguments.</summary>
    public static async Task<TrackingServerHost> StartAsync(PostgresFixture postgres, params string[] settings)
    {
        var connectionString = await postgres.CreateDatabaseAsync();
        var artifacts = new TempDirectory();
        var app = global::MlOps.Tracking.Program.BuildApp(
        [
            "--urls", "http://127.0.0.1:0",
            $"--ConnectionStrings:tracking={connectionString}",
            $"--Tracking:ArtifactsRoot={artifacts.Path}",
            .. settings,
        ]);
        await app.StartAsync().DefaultTimeout();
        // Kestrel reports the port it bound once started.
        var address = new Uri(app.Urls.Single());
        return new TrackingServerHost(app, artifacts, address);
    }

    /// <summary>An environment lookup for the trainer that points it at this server.</summary>
    public Func<string, string?> Environment => name => name == "MLFLOW_TRACKING_URI" ? BaseAddress.ToString() : null;

    public async Task StopAsync()
    {
        if (!_stopped)
        {
            _stopped = true;
            await _app.StopAsync().DefaultTimeout();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await _app.DisposeAsync();
        _artifacts.Dispose();
    }
}
