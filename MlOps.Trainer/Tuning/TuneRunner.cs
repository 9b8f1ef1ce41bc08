using MlOps.Trainer.Devices;
using MlOps.Trainer.Tracking;
using MlOps.Trainer.Training;
using Spectre.Console;

namespace MlOps.Trainer.Tuning;

/// <summary>
/// <c>tune</c>: prepares the data once, searches the space on train/validation (each trial a nested run under the
/// parent when tracking), then refits the best configuration exactly as <c>train</c> would (early stopping,
/// threshold on validation, refit, test, export, parity, atomic write); the caller registers it through the same
/// gate. Ctrl+C keeps the best so far (files and the parent's params) and ends with the cancellation.
/// </summary>
internal sealed class TuneRunner(TrainingRequest request, SearchSpace space, SearchBudget budget, IAnsiConsole console, IGpuEnvironment gpu)
{
    public async Task<TrainingOutcome> RunAsync(TrackingSession? session, ITrainingReporter reporter, CancellationToken ct)
    {
        var pipeline = new TrainingPipeline(request, reporter, gpu);
        pipeline.PrepareOutput();
        var data = await Task.Run(() => DataPreparation.Prepare(request, new StageRunner(reporter), ct), ct).ConfigureAwait(false);
        var device = DeviceSelector.Select(request.Device, gpu);
        reporter.Info($"search: {budget.Trials} trials{(budget.Timeout is { } t ? $" or {t.TotalSeconds:F0}s" : string.Empty)} over {string.Join(", ", space.Parameters.Select(p => p.Name))}; objective validation PR-AUC; seed {request.Seed}");

        TrialRuns? runs = null;
        if (session is not null)
        {
            await session.Client.LogBatchAsync(session.Run.RunId, parameters: [.. SearchOutputs.StartParams(space, budget, request.Seed)], cancellationToken: ct)
                .ConfigureAwait(false);
            runs = new TrialRuns(session.Client, session.Run);
        }

        var search = new HyperparameterSearch(space, budget, data, request, device.Device);
        var result = await new SearchDisplay(console).RunAsync(budget.Trials, progress => search.RunAsync(runs, progress, ct)).ConfigureAwait(false);
        var outputs = new SearchOutputs(request.OutputDirectory, space, request.Config);
        outputs.WriteFiles(result);
        if (session is not null)
        {
            // Also after Ctrl+C: the parent keeps what finished (a short grace, the user is waiting).
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            await outputs.LogAsync(session.Client, session.Run, result, result.Cancelled ? grace.Token : ct).ConfigureAwait(false);
        }

        var best = result.Best;
        if (result.Cancelled)
        {
            reporter.Warning(best is null
                ? $"{result.StopReason}; no trial finished"
                : $"{result.StopReason}; best so far trial {best.Number} (validation PR-AUC {best.Objective:F4}) saved to {outputs.BestConfigPath}: train --config {outputs.BestConfigPath}");
            throw new OperationCanceledException(ct);
        }

        if (best is null)
        {
            throw new BadInputException($"no trial of the search could train ({result.Trials.FirstOrDefault()?.Error}); widen the space or check the data.");
        }

        reporter.Info($"best: trial {best.Number}, validation PR-AUC {best.Objective:F4} ({string.Join(' ', best.Params.Select(p => $"{p.Key}={p.Value}"))}){(result.StopReason is { } why ? $"; {why}" : string.Empty)}; refitting it as train does");
        var bestRequest = request with { Config = outputs.BestConfig(result)! };
        return await new TrainingPipeline(bestRequest, reporter, gpu).RunAsync(data, ct).ConfigureAwait(false);
    }
}
