using System.Diagnostics;
using MlOps.Trainer.LightGbm;
using MlOps.Trainer.Training;

namespace MlOps.Trainer.Tuning;

/// <summary>The budget of a search.</summary>
/// <param name="Trials">How many trials at most.</param>
/// <param name="Timeout">No trial starts after this much time; the running one finishes.</param>
internal sealed record SearchBudget(int Trials, TimeSpan? Timeout);

/// <summary>Where a search reports each trial (the console's progress display).</summary>
internal interface ISearchProgress
{
    void TrialFinished(Trial trial, Trial? best, int total, TimeSpan elapsed);
}

/// <summary>
/// Runs the trials of a search on the prepared train and validation splits: each trial trains with early stopping
/// on validation and scores the validation PR-AUC of the model it keeps. The test split is never seen here.
/// Ctrl+C stops at once: the running trial is KILLED and the trials that finished are the result.
/// </summary>
internal sealed class HyperparameterSearch(SearchSpace space, SearchBudget budget, PreparedData data, TrainingRequest request, string device)
{
    public async Task<SearchResult> RunAsync(TrialRuns? runs, ISearchProgress progress, CancellationToken ct)
    {
        var startup = Math.Clamp(budget.Trials / 4, 3, 10);
        var sampler = new TpeSampler(space, request.Seed, startup);
        var trials = new List<Trial>();
        var clock = Stopwatch.StartNew();
        for (var number = 1; number <= budget.Trials; number++)
        {
            if (budget.Timeout is { } timeout && clock.Elapsed >= timeout)
            {
                return new SearchResult(trials, Best(trials), false, $"--timeout reached after {trials.Count} trials");
            }

            var values = sampler.Next(number, [.. trials.Select(t => new Observation(t.Values, t.Objective))]);
            var parameters = space.Describe(values);
            string? runId = null;
            try
            {
                runId = runs is null ? null : await runs.StartAsync(number, parameters, ct).ConfigureAwait(false);
                var n = number;
                var trial = await Task.Run(() => Evaluate(n, values, parameters, ct), ct).ConfigureAwait(false);
                trials.Add(trial);
                var best = Best(trials);
                if (runs is not null)
                {
                    // A trial that finished is recorded as finished, even when Ctrl+C came meanwhile.
                    using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(15));
                    await runs.FinishAsync(runId!, trial, best?.Objective ?? double.NaN, grace.Token).ConfigureAwait(false);
                    runId = null;
                }

                progress.TrialFinished(trial, best, budget.Trials, clock.Elapsed);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                if (runId is not null)
                {
                    await runs!.KillAsync(runId).ConfigureAwait(false);
                }

                return new SearchResult(trials, Best(trials), true, $"cancelled after {trials.Count} finished trials");
            }
        }

        return new SearchResult(trials, Best(trials), false, null);
    }

    private Trial Evaluate(int number, IReadOnlyDictionary<string, double> values, IReadOnlyDictionary<string, string> parameters, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var config = space.Apply(request.Config, values);
        var lightGbm = ModelFitter.Parameters(config.LightGbm, data.Train.Labels, request.Seed, device);
        try
        {
            using var result = GradientBoostingTrainer.Train(data.Train, data.Validation, lightGbm, null, ct);
            var best = result.BestMetrics!;
            return new Trial(number, values, parameters, best.ValidationAveragePrecision, best.ValidationLogLoss, result.BestIteration,
                clock.Elapsed.TotalSeconds, null);
        }
        catch (LightGbmException e)
        {
            // A corner of the space that cannot train (leaves too large for the rows): a failed trial, not a failed search.
            return new Trial(number, values, parameters, double.NegativeInfinity, double.NaN, 0, clock.Elapsed.TotalSeconds,
                Cli.TrainerCli.OneLine(e.Message));
        }
    }

    // Ties go to the earlier trial, so the result does not depend on anything but the trials' figures.
    private static Trial? Best(List<Trial> trials) =>
        trials.Where(t => t.Succeeded).OrderByDescending(t => t.Objective).ThenBy(t => t.Number).FirstOrDefault();
}
