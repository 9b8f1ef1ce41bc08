using MlOps.Mlflow;
using MlOps.Tests.Infrastructure;

namespace MlOps.Tests.Tracking.Ui;

/// <summary>
/// The real tracking server on PostgreSQL with two trainings by our trainer (same data, 31 and 15 leaves: the first
/// is promoted to production, the second registered as challenger or production by the gate), and one headless
/// Chromium, for the browser tests of one class. The dashboard URL is set so trace ids become links.
/// </summary>
public sealed class TrackingUiFixture : IAsyncLifetime
{
    public const string DashboardUrl = "http://127.0.0.1:18999";
    public const string Experiment = "fraud-detection";
    public const string Model = "fraud-detector";

    private readonly PostgresFixture _postgres = new();
    private readonly TempDirectory _data = new();
    private TrackingServerHost? _server;
    private HeadlessChromium? _chromium;
    private HttpClient? _http;

    public TrackingServerHost Server => _server ?? throw new InvalidOperationException("not started");

    public HeadlessChromium Chromium => _chromium ?? throw new InvalidOperationException("not started");

    public MlflowClient Client { get; private set; } = default!;

    /// <summary>The two trainings' run ids: 31 leaves first, then 15.</summary>
    public IReadOnlyList<string> TrainedRunIds { get; private set; } = [];

    public string ExperimentId { get; private set; } = "";

    public async Task InitializeAsync()
    {
        await _postgres.InitializeAsync();
        _server = await TrackingServerHost.StartAsync(_postgres, $"--TrackingUi:DashboardUrl={DashboardUrl}");
        _http = new HttpClient { BaseAddress = Server.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        Client = new MlflowClient(_http);

        var data = _data.File("transactions.csv");
        await RunTrainerAsync("generate", "--rows", "20000", "--seed", "7", "--out", data);
        var runs = new List<string>();
        foreach (var leaves in new[] { "31", "15" })
        {
            await RunTrainerAsync(
                "train", "--data", data, "--label", "is_fraud", "--output", _data.File("out-" + leaves), "--iterations", "60",
                "--num-leaves", leaves, "--seed", "7", "--device", "cpu", "--experiment", Experiment, "--model-name", Model);
            ExperimentId = (await Client.GetExperimentByNameAsync(Experiment).DefaultTimeout()).ExperimentId;

            // Trainings run one after the other: the experiment's newest run is the one just recorded.
            var newest = await Client.SearchRunsAsync(
                new RunSearch { ExperimentIds = [ExperimentId], OrderBy = ["attributes.start_time DESC"], MaxResults = 1 }).DefaultTimeout();
            runs.Add(newest.Items.Single().Info.RunId);
        }

        TrainedRunIds = runs;
        _chromium = await HeadlessChromium.LaunchAsync();
    }

    public async Task DisposeAsync()
    {
        if (_chromium is not null)
        {
            await _chromium.DisposeAsync();
        }

        _http?.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        await _postgres.DisposeAsync();
        _data.Dispose();
    }

    private async Task RunTrainerAsync(params string[] args)
    {
        var result = await TrainerRunner.RunAsync(Server.Environment, args);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"trainer {args[0]} failed ({result.ExitCode}): {result.Error}\n{result.Output}");
        }
    }
}
