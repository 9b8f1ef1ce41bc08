using System.Globalization;
using MlOps.Mlflow;
using MlOps.Trainer.Model;
using MlOps.Trainer.Reporting;
using MlOps.Trainer.Training;

namespace MlOps.Trainer.Tracking;

/// <summary>
/// One MLflow run around one training: created before the pipeline starts, fed iteration metrics while it runs,
/// then params, final metrics, the dataset, the model folder and a registered version; and always ended, FINISHED,
/// FAILED (with <c>mlops.error</c>) or KILLED, never left RUNNING.
/// </summary>
internal sealed class TrackingSession : IAsyncDisposable
{
    public const string ModelArtifactPath = "model";

    // Ending a run after a failure is best effort: a stopped server must not hold the exit up.
    private static readonly TimeSpan s_endTimeout = TimeSpan.FromSeconds(10);

    private readonly MlflowClient _client;
    private readonly TrackingSettings _settings;
    private readonly TrainingRequest _request;
    private readonly RunOwner _owner;
    private bool _ended;

    private TrackingSession(MlflowClient client, TrackingSettings settings, TrainingRequest request, Run run, IReadOnlyList<string> notes)
    {
        _client = client;
        _settings = settings;
        _request = request;
        Run = run.Info;
        Notes = notes;
        Metrics = new MetricStream(client, run.Info.RunId);
        _owner = RunOwner.Start(client, run.Info.RunId);
    }

    public RunInfo Run { get; }

    public MetricStream Metrics { get; }

    /// <summary>What was cleaned up before the run started (runs a dead trainer left RUNNING).</summary>
    public IReadOnlyList<string> Notes { get; }

    public MlflowClient Client => _client;

    public static async Task<TrackingSession> StartAsync(
        MlflowClient client, TrackingSettings settings, TrainingRequest request, CancellationToken ct, string command = "train", IEnumerable<RunTag>? extraTags = null)
    {
        var experiment = await client.GetOrCreateExperimentAsync(settings.Experiment, cancellationToken: ct).ConfigureAwait(false);
        var notes = await AbandonedRuns.EndAsync(client, experiment.ExperimentId, ct).ConfigureAwait(false);
        var runName = string.Create(CultureInfo.InvariantCulture, $"{command}-{DateTime.UtcNow:yyyyMMdd-HHmmss}");
        var tags = new List<RunTag>
        {
            new(KnownMlflowTags.RunName, runName),
            new(KnownMlflowTags.SourceName, "mlops-trainer"),
            new(KnownMlflowTags.SourceType, "LOCAL"),
            new(KnownMlflowTags.User, Environment.UserName),
        };
        tags.AddRange(RunOwner.Tags());
        tags.AddRange(extraTags ?? []);
        if (EnvironmentProbe.GitCommit(Path.GetDirectoryName(Path.GetFullPath(request.DataPath)) ?? Environment.CurrentDirectory) is { } commit)
        {
            tags.Add(new RunTag(KnownMlflowTags.GitCommit, commit));
        }

        var run = await client.CreateRunAsync(experiment.ExperimentId, runName, tags, userId: Environment.UserName, cancellationToken: ct)
            .ConfigureAwait(false);
        return new TrackingSession(client, settings, request, run, notes);
    }

    /// <summary>Logs everything the training produced, registers the model and ends the run FINISHED.</summary>
    public async Task<PromotionDecision?> CompleteAsync(TrainingOutcome outcome, string? traceId, CancellationToken ct)
    {
        var runId = Run.RunId;
        var card = outcome.Card;
        await Metrics.FlushAsync(ct).ConfigureAwait(false);
        await _client.LogBatchAsync(runId, FinalMetrics(card), Params(card), Tags(card, traceId), ct).ConfigureAwait(false);
        await _client.LogInputsAsync(runId, [Dataset(card)], ct).ConfigureAwait(false);
        await LogArtifactsAsync(outcome.ModelDirectory, ct).ConfigureAwait(false);

        PromotionDecision? decision = null;
        if (_settings.Register)
        {
            decision = await new PromotionGate(_client, _settings.ModelName, _settings.Promotion)
                .RegisterAsync(runId, outcome, (ulong)_request.Seed, ct).ConfigureAwait(false);
            var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            await _client.LogBatchAsync(runId, [.. decision.Metrics().Select(m => new Metric(m.Key, m.Value, now))],
                tags: [new RunTag("mlops.promotion.decision", decision.Alias), new RunTag("mlops.promotion.reason", decision.Reason),
                    new RunTag("mlops.promotion.version", decision.Version)], cancellationToken: ct).ConfigureAwait(false);
        }

        await _client.SetTerminatedAsync(runId, RunStatus.Finished, cancellationToken: ct).ConfigureAwait(false);
        _ended = true;
        return decision;
    }

    /// <summary>Ends the run FAILED with the error as a tag (KILLED when cancelled); never throws.</summary>
    public async Task FailAsync(Exception error, bool cancelled)
    {
        if (_ended)
        {
            return;
        }

        _ended = true;
        using var timeout = new CancellationTokenSource(s_endTimeout);
        try
        {
            var message = ErrorLine(error);
            await _client.SetTagAsync(Run.RunId, KnownTrainerTags.Error, message, timeout.Token).ConfigureAwait(false);
            await _client.SetTerminatedAsync(Run.RunId, cancelled ? RunStatus.Killed : RunStatus.Failed, cancellationToken: timeout.Token)
                .ConfigureAwait(false);
        }
        catch (Exception e) when (e is MlflowException or OperationCanceledException or HttpRequestException)
        {
            // The original error is what the user needs; the run stays as the server last saw it.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _owner.DisposeAsync().ConfigureAwait(false);
        await Metrics.DisposeAsync().ConfigureAwait(false);
    }

    private static string ErrorLine(Exception error)
    {
        var line = $"{error.GetType().Name}: {error.Message.ReplaceLineEndings(" ").Trim()}";
        return line.Length > 1000 ? line[..1000] + "…" : line;
    }

    private async Task LogArtifactsAsync(string modelDirectory, CancellationToken ct)
    {
        // The logged model says which run logged it, as MLflow's log_model writes it.
        var mlmodel = MlModel.Load(modelDirectory) with { RunId = Run.RunId };
        mlmodel.Save(modelDirectory);
        await _client.UploadDirectoryAsync(Run.ArtifactUri, ModelArtifactPath, modelDirectory, ct).ConfigureAwait(false);
        await _client.UploadFileAsync(Run.ArtifactUri, ModelFolderWriter.CardFileName,
            Path.Combine(modelDirectory, ModelFolderWriter.CardFileName), ct).ConfigureAwait(false);
        foreach (var plot in new[] { PlotWriter.PrCurveFileName, PlotWriter.RocCurveFileName, PlotWriter.FeatureImportanceFileName, PlotWriter.ScoreDistributionFileName })
        {
            var file = Path.Combine(modelDirectory, plot);
            if (File.Exists(file))
            {
                await _client.UploadFileAsync(Run.ArtifactUri, "plots/" + plot, file, ct).ConfigureAwait(false);
            }
        }
    }

    private List<Param> Params(ModelCard card)
    {
        var parameters = card.Parameters.Select(p => new Param(p.Key, p.Value)).ToList();
        var known = parameters.Select(p => p.Key).ToHashSet(StringComparer.Ordinal);
        foreach (var (key, value) in new[]
                 {
                     ("seed", card.Split.Seed.ToString(CultureInfo.InvariantCulture)),
                     ("label", card.Label),
                     ("positive_value", card.PositiveValue),
                     ("data_file", card.Data.File),
                     ("split_method", card.Split.Method),
                     ("threshold_strategy", card.Threshold.Strategy),
                     ("model_name", _settings.ModelName),
                 })
        {
            if (known.Add(key))
            {
                parameters.Add(new Param(key, value));
            }
        }

        return parameters;
    }

    private static List<Metric> FinalMetrics(ModelCard card)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var metrics = new List<Metric>();
        metrics.AddRange(card.TestMetrics.Select(m => new Metric("test_" + m.Key, m.Value, now)));
        metrics.AddRange(card.ValidationMetrics.Select(m => new Metric("validation_" + m.Key, m.Value, now)));
        metrics.Add(new Metric("threshold", card.Threshold.Value, now));
        metrics.Add(new Metric("best_iteration", card.BestIteration, now));
        metrics.Add(new Metric("training_seconds", card.Training.Seconds, now));
        metrics.Add(new Metric("parity_max_abs_delta", card.Parity.MaxAbsProbabilityDelta, now));
        return metrics;
    }

    private static List<RunTag> Tags(ModelCard card, string? traceId)
    {
        var tags = new List<RunTag>
        {
            new("mlops.data.md5", card.Data.Md5),
            new("mlops.device", card.Training.Device),
            new("mlops.model_uuid", card.ModelUuid),
        };
        if (traceId is not null)
        {
            tags.Add(new RunTag("mlops.trace_id", traceId));
        }

        return tags;
    }

    private DatasetInput Dataset(ModelCard card) => new()
    {
        Dataset = new Dataset
        {
            Name = card.Data.File,
            Digest = card.Data.Md5,
            SourceType = "local",
            Source = Path.GetFullPath(_request.DataPath),
        },
        Tags = [new InputTag(KnownMlflowTags.DatasetContext, "training")],
    };
}
