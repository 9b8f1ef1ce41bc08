using System.Diagnostics;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MlOps.Hosting.Reporting;

/// <summary>One console line the first time every resource is ready (running and healthy, finished with exit code 0,
/// or not started until asked), with the time since the AppHost started and where the user goes next.</summary>
internal sealed partial class ReadyReport(ResourceNotificationService notifications, ILoggerFactory loggers, ReadyReportOptions options)
    : BackgroundService
{
    private readonly ILogger _logger = loggers.CreateLogger("MlOps.AppHost");

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var latest = new Dictionary<string, ResourceEvent>(StringComparer.Ordinal);
        try
        {
            await foreach (var change in notifications.WatchAsync(stoppingToken).ConfigureAwait(false))
            {
                latest[change.ResourceId] = change;
                if (latest.Count > 1 && latest.Values.All(IsReady) && latest.Values.Any(e => e.Resource.Name == options.Last))
                {
                    var elapsed = DateTime.Now - Process.GetCurrentProcess().StartTime;
                    LogReady(_logger, elapsed.TotalSeconds, string.Join(" · ", options.Links(latest.Values)));
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The AppHost stopped first.
        }
    }

    internal static bool IsReady(ResourceEvent e) => e.Snapshot.State?.Text switch
    {
        null => e.Resource is ParameterResource,
        var s when s == KnownResourceStates.Running => e.Snapshot.HealthStatus is null or HealthStatus.Healthy,
        var s when s == KnownResourceStates.Finished || s == KnownResourceStates.Exited => e.Snapshot.ExitCode is null or 0,
        // Started only on request (the trainer, Aspire's rebuilders).
        var s when s == KnownResourceStates.NotStarted => true,
        _ => false,
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Ready after {Seconds:0.0} s: {Links}")]
    private static partial void LogReady(ILogger logger, double seconds, string links);
}

/// <summary>Which resource must be in the stream before "ready" counts, and the links of the ready line.</summary>
internal sealed record ReadyReportOptions(string Last, Func<IEnumerable<ResourceEvent>, IEnumerable<string>> Links);
