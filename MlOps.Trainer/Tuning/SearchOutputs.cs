using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using MlOps.Mlflow;
using MlOps.Trainer.Reporting;
using MlOps.Trainer.Training;

namespace MlOps.Trainer.Tuning;

/// <summary>
/// What a search leaves besides the model: in the output folder <c>tune-trials.json</c> (every trial),
/// <c>tune-best.json</c> (a config for <c>train --config</c> with the best trial's values) and
/// <c>tune-objective.png</c>; on the parent run the search space, the best trial's values as <c>best.*</c> params,
/// and the same files as artifacts.
/// </summary>
internal sealed class SearchOutputs(string outputDirectory, SearchSpace space, TrainingConfig baseConfig)
{
    public const string TrialsFileName = "tune-trials.json";
    public const string BestConfigFileName = "tune-best.json";
    public const string PlotFileName = "tune-objective.png";
    private const string Objective = "validation PR-AUC";

    public string TrialsPath => Path.Combine(outputDirectory, TrialsFileName);

    public string BestConfigPath => Path.Combine(outputDirectory, BestConfigFileName);

    public string PlotPath => Path.Combine(outputDirectory, PlotFileName);

    /// <summary>The best trial's config, or null when no trial succeeded.</summary>
    public TrainingConfig? BestConfig(SearchResult result) => result.Best is { } best ? space.Apply(baseConfig, best.Values) : null;

    public void WriteFiles(SearchResult result)
    {
        Directory.CreateDirectory(outputDirectory);
        var trials = new JsonArray([.. result.Trials.Select(t => (JsonNode)new JsonObject
        {
            ["trial"] = t.Number,
            ["params"] = new JsonObject([.. t.Params.Select(p => KeyValuePair.Create<string, JsonNode?>(p.Key, p.Value))]),
            ["valid_pr_auc"] = t.Succeeded ? t.Objective : null,
            ["valid_logloss"] = t.Succeeded ? t.ValidationLogLoss : null,
            ["best_iteration"] = t.BestIteration,
            ["seconds"] = Math.Round(t.Seconds, 3),
            ["error"] = t.Error,
        })]);
        var document = new JsonObject
        {
            ["objective"] = Objective,
            ["space"] = JsonNode.Parse(space.ToJson()),
            ["best_trial"] = result.Best?.Number,
            ["stopped"] = result.StopReason,
            ["trials"] = trials,
        };
        AtomicFile.WriteAllText(TrialsPath, document.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
        if (BestConfig(result) is { } config)
        {
            AtomicFile.WriteAllText(BestConfigPath, JsonSerializer.Serialize(config, TrainingConfig.s_json) + "\n");
        }

        PlotWriter.WriteSearchObjective(outputDirectory, PlotFileName, [.. result.Trials.Select(t => (t.Number, t.Objective))], Objective);
    }

    /// <summary>The parent run's params at the start: what is searched, how and for how long.</summary>
    public static IEnumerable<Param> StartParams(SearchSpace space, SearchBudget budget, int seed) =>
    [
        new("tune.space", space.ToJson()),
        new("tune.trials", budget.Trials.ToString(CultureInfo.InvariantCulture)),
        new("tune.timeout_seconds", budget.Timeout is { } t ? t.TotalSeconds.ToString(CultureInfo.InvariantCulture) : "none"),
        new("tune.seed", seed.ToString(CultureInfo.InvariantCulture)),
        new("tune.sampler", "tpe"),
        new("tune.objective", Objective),
    ];

    /// <summary>The best trial's values and the files, on the parent run.</summary>
    public async Task LogAsync(MlflowClient client, RunInfo parent, SearchResult result, CancellationToken ct)
    {
        var parameters = new List<Param> { new("tune.trials_finished", result.Trials.Count.ToString(CultureInfo.InvariantCulture)) };
        var metrics = new List<Metric>();
        if (result.Best is { } best)
        {
            parameters.Add(new Param("tune.best_trial", best.Number.ToString(CultureInfo.InvariantCulture)));
            parameters.AddRange(best.Params.Select(p => new Param("best." + p.Key, p.Value)));
            metrics.Add(new Metric("best_valid_pr_auc", best.Objective, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()));
        }

        await client.LogBatchAsync(parent.RunId, metrics, parameters, cancellationToken: ct).ConfigureAwait(false);
        await client.UploadFileAsync(parent.ArtifactUri, "tune/" + TrialsFileName, TrialsPath, ct).ConfigureAwait(false);
        if (File.Exists(BestConfigPath) && result.Best is not null)
        {
            await client.UploadFileAsync(parent.ArtifactUri, "tune/" + BestConfigFileName, BestConfigPath, ct).ConfigureAwait(false);
        }

        await client.UploadFileAsync(parent.ArtifactUri, "plots/tune_objective.png", PlotPath, ct).ConfigureAwait(false);
    }
}
