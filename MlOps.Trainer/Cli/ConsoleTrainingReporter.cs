using System.Globalization;
using Microsoft.Extensions.Logging;
using MlOps.Trainer.LightGbm;
using MlOps.Trainer.Training;
using Spectre.Console;

namespace MlOps.Trainer.Cli;

/// <summary>Progress for people on the console, and the same events as log records for the dashboard.</summary>
internal sealed partial class ConsoleTrainingReporter(IAnsiConsole console, ILogger logger) : ITrainingReporter
{
    private DateTime _lastIterationLine = DateTime.MinValue;

    public void StageStarted(string stage) => LogStageStarted(logger, stage);

    public void StageCompleted(string stage, TimeSpan elapsed, string? summary)
    {
        console.MarkupLineInterpolated($"[green]✓[/] {stage,-9} [grey]{elapsed.TotalSeconds,6:F2}s[/]  {summary ?? string.Empty}");
        LogStageCompleted(logger, stage, elapsed.TotalSeconds, summary ?? string.Empty);
    }

    public void Info(string message)
    {
        console.MarkupLineInterpolated($"[grey]·[/] {message}");
        LogInfo(logger, message);
    }

    public void Warning(string message)
    {
        console.MarkupLineInterpolated($"[yellow]![/] {message}");
        LogWarning(logger, message);
    }

    public void Iteration(IterationMetrics metrics, int maxIterations)
    {
        // A line every couple of seconds (and the first) keeps long trainings visibly alive without flooding logs.
        var now = DateTime.UtcNow;
        if (metrics.Iteration != 1 && now - _lastIterationLine < TimeSpan.FromSeconds(2))
        {
            return;
        }

        _lastIterationLine = now;
        var ranking = double.IsNaN(metrics.ValidationAveragePrecision)
            ? string.Empty
            : string.Create(CultureInfo.InvariantCulture, $"  auc {metrics.ValidationAuc:F4}  pr-auc {metrics.ValidationAveragePrecision:F4}");
        var line = string.Create(CultureInfo.InvariantCulture,
            $"iteration {metrics.Iteration}/{maxIterations}  valid logloss {metrics.ValidationLogLoss:F5}{ranking}");
        console.MarkupLineInterpolated($"  [grey]{line}[/]");
        LogIteration(logger, metrics.Iteration, maxIterations, metrics.ValidationLogLoss, metrics.ValidationAuc, metrics.ValidationAveragePrecision);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Stage {Stage} started")]
    private static partial void LogStageStarted(ILogger logger, string stage);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stage {Stage} completed in {Seconds:F2}s: {Summary}")]
    private static partial void LogStageCompleted(ILogger logger, string stage, double seconds, string summary);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Message}")]
    private static partial void LogInfo(ILogger logger, string message);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Message}")]
    private static partial void LogWarning(ILogger logger, string message);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Iteration {Iteration}/{Max}: valid logloss {LogLoss}, auc {Auc}, pr-auc {PrAuc}")]
    private static partial void LogIteration(ILogger logger, int iteration, int max, double logLoss, double auc, double prAuc);
}
