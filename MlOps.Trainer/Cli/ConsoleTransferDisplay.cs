using System.Globalization;
using MlOps.Trainer.Remotes;
using Spectre.Console;

namespace MlOps.Trainer.Cli;

/// <summary>
/// Progress of large transfers on the console: a live bar with speed and time left on a terminal, a line at each
/// quarter when the output is a log or a pipe. Small files show nothing until the summary line.
/// </summary>
internal sealed class ConsoleTransferDisplay(IAnsiConsole console) : ITransferDisplay
{
    /// <summary>Files below this size finish before a bar would be worth drawing.</summary>
    internal const long LargeFileBytes = 8L << 20;

    public Task ShowAsync(string label, long totalBytes, Func<IProgress<long>, Task> transfer)
    {
        ArgumentNullException.ThrowIfNull(transfer);
        if (totalBytes < LargeFileBytes)
        {
            return transfer(new Progress<long>());
        }

        if (!console.Profile.Capabilities.Interactive)
        {
            return transfer(new QuarterLines(console, label, totalBytes));
        }

        return console.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new DownloadedColumn(),
                new TransferSpeedColumn(), new RemainingTimeColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask(Markup.Escape(label), maxValue: totalBytes);
                await transfer(new BarProgress(task)).ConfigureAwait(false);
                task.Value = totalBytes;
            });
    }

    public void Note(string message) => console.MarkupLineInterpolated($"[yellow]![/] {message}");

    // Reports arrive on the transfer's thread; Spectre's task value is thread-safe.
    private sealed class BarProgress(ProgressTask task) : IProgress<long>
    {
        public void Report(long value) => task.Value = value;
    }

    private sealed class QuarterLines(IAnsiConsole console, string label, long totalBytes) : IProgress<long>
    {
        private int _quartersShown;

        public void Report(long value)
        {
            var quarters = (int)Math.Min(4, value * 4 / totalBytes);
            if (quarters <= _quartersShown)
            {
                return;
            }

            _quartersShown = quarters;
            console.MarkupLineInterpolated(CultureInfo.InvariantCulture,
                $"[grey]·[/] {label}: {quarters * 25}% ({value / 1048576.0:F1} of {totalBytes / 1048576.0:F1} MiB)");
        }
    }
}
