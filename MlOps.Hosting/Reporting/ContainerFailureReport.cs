using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MlOps.Hosting.Reporting;

/// <summary>Puts a container that failed to start on the AppHost's console, not only in the dashboard: the tail of its
/// log (a failed pull or build says why there) once per container, and once per run what to do about it. Resources
/// that failed only because something they wait for did are not repeated.</summary>
internal sealed partial class ContainerFailureReport(
    ResourceNotificationService notifications,
    ResourceLoggerService logs,
    ILoggerFactory loggers) : BackgroundService
{
    public const int TailLines = 20;

    internal const string Fix = "Container mode needs every image pulled or built. To run without containers: --runtime local " +
        "(PostgreSQL from its server binaries, the services as processes). To use images this machine has: set Images:postgres, " +
        "Images:mlflow, Images:dotnet-sdk and Images:dotnet-runtime (and Mlflow:Server=tracking for our tracking server's image). " +
        "Dockerfile builds need a Docker CLI with buildx (BuildKit).";

    private readonly ILogger _logger = loggers.CreateLogger("MlOps.AppHost");
    private readonly HashSet<string> _reported = new(StringComparer.Ordinal);
    private bool _fixShown;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var change in notifications.WatchAsync(stoppingToken).ConfigureAwait(false))
            {
                if (change.Resource is ContainerResource && change.Snapshot.State?.Text == KnownResourceStates.FailedToStart
                    && !FailedBecauseOfADependency(change.Resource) && _reported.Add(change.Resource.Name))
                {
                    await ReportAsync(change.Resource, stoppingToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The AppHost is stopping.
        }
    }

    private bool FailedBecauseOfADependency(IResource resource) =>
        resource.TryGetAnnotationsOfType<WaitAnnotation>(out var waits)
        && waits.Any(w => notifications.TryGetCurrentState(w.Resource.Name, out var e)
            && e.Snapshot.State?.Text is { } state && KnownResourceStates.TerminalStates.Contains(state) && state != KnownResourceStates.Finished);

    private async Task ReportAsync(IResource resource, CancellationToken cancellationToken)
    {
        var tail = new Queue<string>();
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(TimeSpan.FromSeconds(5));
        try
        {
            await foreach (var batch in logs.GetAllAsync(resource).WithCancellation(limit.Token).ConfigureAwait(false))
            {
                foreach (var line in batch)
                {
                    tail.Enqueue(line.Content);
                    if (tail.Count > TailLines)
                    {
                        tail.Dequeue();
                    }
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // What arrived in time is shown.
        }

        LogFailed(_logger, resource.Name, tail.Count, string.Join(Environment.NewLine, tail.Select(l => "  | " + l)));
        if (!_fixShown)
        {
            _fixShown = true;
            LogFix(_logger, Fix);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "'{Resource}' failed to start; the last {Count} lines of its log:\n{Tail}")]
    private static partial void LogFailed(ILogger logger, string resource, int count, string tail);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Fix}")]
    private static partial void LogFix(ILogger logger, string fix);
}
