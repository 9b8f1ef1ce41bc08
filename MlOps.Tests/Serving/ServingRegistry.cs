using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using MlOps.Mlflow;
using MlOps.Tests.Infrastructure;
using MlOps.Tests.Tracking;

namespace MlOps.Tests.Serving;

/// <summary>
/// A real tracking server for one test, reached through a link the test can cut (<see cref="Down"/>), with helpers
/// to register model folders as versions the way a training pipeline does.
/// </summary>
public sealed class ServingRegistry : IAsyncDisposable
{
    public const string ModelName = "fraud-detector";
    public const string AliasUri = "models:/fraud-detector@production";

    private readonly TrackingServer _server;
    private readonly TrackingLink _link;

    private ServingRegistry(TrackingServer server)
    {
        _server = server;
        _link = new TrackingLink(server.CreateHandler());
        Client = new MlflowClient(new HttpClient(_link) { BaseAddress = server.Client.BaseAddress });
    }

    /// <summary>The client serving is given: it talks to the in-process tracking server through the link.</summary>
    public MlflowClient Client { get; }

    /// <summary>While true, every call fails as a refused connection does.</summary>
    public bool Down
    {
        get => _link.Down;
        set => _link.Down = value;
    }

    public static async Task<ServingRegistry> StartAsync(PostgresFixture postgres) =>
        new(await TrackingServer.StartAsync(postgres));

    /// <summary>Uploads the folder as a run's <c>model</c> artifact and registers it; returns the version and run id.</summary>
    public async Task<(string Version, string RunId)> RegisterAsync(string modelFolder)
    {
        var experiment = await Client.GetOrCreateExperimentAsync("serving").DefaultTimeout();
        var run = await Client.CreateRunAsync(experiment.ExperimentId, "train").DefaultTimeout();
        await Client.UploadDirectoryAsync(run.Info.ArtifactUri, "model", modelFolder).DefaultTimeout();
        try
        {
            await Client.CreateRegisteredModelAsync(ModelName).DefaultTimeout();
        }
        catch (MlflowException e) when (e.ErrorCode == KnownMlflowErrorCodes.ResourceAlreadyExists)
        {
            // Registered by an earlier version.
        }

        var version = await Client.CreateModelVersionAsync(ModelName, $"runs:/{run.Info.RunId}/model", run.Info.RunId).DefaultTimeout();
        return (version.Version, run.Info.RunId);
    }

    public Task SetAliasAsync(string version, string alias = "production") =>
        Client.SetRegisteredModelAliasAsync(ModelName, alias, version).DefaultTimeout();

    /// <summary>A serving app on <paramref name="modelUri"/> whose MLflow client is this registry's.</summary>
    public ServingApp Serve(string modelUri, string cacheDirectory, IReadOnlyDictionary<string, string?>? settings = null) => new(
        modelUri,
        new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>())
        {
            ["Model:PollInterval"] = "00:00:00.200",
            ["Model:CacheDirectory"] = cacheDirectory,
        },
        configureServices: services =>
        {
            services.RemoveAll<MlflowClient>();
            services.AddSingleton(Client);
        });

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    // Forwards to the in-memory tracking server, or fails like a dead port when the test cuts the link.
    private sealed class TrackingLink(HttpMessageHandler server) : DelegatingHandler(server)
    {
        private volatile bool _down;

        public bool Down
        {
            get => _down;
            set => _down = value;
        }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Down
                ? throw new HttpRequestException("Connection refused (the test cut the link to the tracking server).")
                : base.SendAsync(request, cancellationToken);
    }
}
