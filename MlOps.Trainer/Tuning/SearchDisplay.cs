using System.Globalization;
using Spectre.Console;

namespace MlOps.Trainer.Tuning;

/// <summary>
/// The search on the console: a line per trial (trial, its PR-AUC, the best so far, elapsed), and on an interactive
/// terminal a Spectre progress bar above them that says the same at a glance.
/// </summary>
internal sealed class SearchDisplay(IAnsiConsole console) : ISearchProgress
{
    private ProgressTask? _bar;

    public async Task<T> RunAsync<T>(int total, Func<ISearchProgress, Task<T>> search)
    {
        if (!console.Profile.Capabilities.Interactive)
        {
            return await search(this).ConfigureAwait(false);
        }

        return await console.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async context =>
            {
                _bar = context.AddTask($"search: 0/{total} trials", maxValue: total);
                try
                {
                    return await search(this).ConfigureAwait(false);
                }
                finally
                {
                    _bar.StopTask();
                }
            }).ConfigureAwait(false);
    }

    public void TrialFinished(Trial trial, Trial? best, int total, TimeSpan elapsed)
    {
        var bestText = best is null ? "none yet" : string.Create(CultureInfo.InvariantCulture, $"{best.Objective:F4} (trial {best.Number})");
        var result = trial.Succeeded
            ? string.Create(CultureInfo.InvariantCulture, $"valid PR-AUC {trial.Objective:F4}, {trial.BestIteration} trees")
            : $"failed: {trial.Error}";
        var values = string.Join(' ', trial.Params.Select(p => $"{p.Key}={p.Value}"));
        var line = string.Create(CultureInfo.InvariantCulture,
            $"  trial {trial.Number}/{total}  {result}  best {bestText}  {trial.Seconds:F1}s, elapsed {elapsed.TotalSeconds:F0}s  {values}");
        if (_bar is not null && line.Length >= console.Profile.Width)
        {
            // Under the live progress bar a wrapped line would be drawn over; the full values are in tune-trials.json.
            line = line[..Math.Max(console.Profile.Width - 2, 10)] + "…";
        }

        console.MarkupLine(Markup.Escape(line));
        if (_bar is { } bar)
        {
            bar.Increment(1);
            bar.Description = $"search: {trial.Number}/{total} trials, best {bestText}";
        }
    }
}
