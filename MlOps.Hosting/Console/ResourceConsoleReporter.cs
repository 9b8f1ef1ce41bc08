using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using MlOps.Hosting.ApplicationModel;
using MlOps.Hosting.Orchestration;

namespace MlOps.Hosting.Console;

/// <summary>Prints a line for every state change and failure, then a table of resources and URLs once everything
/// that starts with the application has settled, and where to look next. Reads only the snapshot stream.</summary>
internal sealed class ResourceConsoleReporter(
    ResourceNotificationService notifications,
    DistributedApplicationModel model,
    IServiceProvider services,
    TextWriter? output = null) : BackgroundService
{
    private readonly TextWriter _out = output ?? System.Console.Out;
    private readonly Dictionary<string, ResourceSnapshot> _last = new(StringComparer.Ordinal);
    private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();
    private bool _tablePrinted;
    private bool _readyPrinted;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        PrintBanner();
        try
        {
            await foreach (var snapshot in notifications.WatchAsync(stoppingToken).ConfigureAwait(false))
            {
                Report(snapshot);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    internal void Report(ResourceSnapshot snapshot)
    {
        var previous = _last.GetValueOrDefault(snapshot.Name);
        _last[snapshot.Name] = snapshot;
        if (snapshot.ResourceType == "Parameter")
        {
            return;
        }

        if (previous is null || previous.State != snapshot.State || previous.Health != snapshot.Health)
        {
            WriteLine(FormatChange(snapshot, previous));
        }

        if (!_tablePrinted && _last.Count == notifications.Current.Count && _last.Values.All(IsSettled))
        {
            _tablePrinted = true;
            PrintTable();
        }

        if (_tablePrinted && !_readyPrinted && _last.Values.All(IsReady))
        {
            _readyPrinted = true;
            WriteLine($"✓ all resources ready after {_clock.Elapsed.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture)} s");
        }
    }

    // Ready: running and healthy, finished successfully, or an explicit-start resource nobody asked for yet.
    private static bool IsReady(ResourceSnapshot s) =>
        s.ResourceType == "Parameter"
        || (s.IsExplicitStart && s.State == ResourceState.NotStarted)
        || (s.State == ResourceState.Running && s.Health == ResourceHealthStatus.Healthy && !s.IsExplicitStart)
        || (s.State == ResourceState.Finished && s.ExitCode == 0);

    internal static string FormatChange(ResourceSnapshot snapshot, ResourceSnapshot? previous)
    {
        var state = snapshot.State.ToString();
        var health = snapshot.State == ResourceState.Running && snapshot.Health is { } h ? $" ({h})" : string.Empty;
        var details = snapshot.State switch
        {
            ResourceState.Running when previous?.State != ResourceState.Running && snapshot.Urls.Length > 0 =>
                "  " + string.Join(' ', snapshot.Urls.Where(u => !u.IsInternal).Select(u => u.Url)),
            ResourceState.Finished or ResourceState.Exited => $"  exit code {snapshot.ExitCode?.ToString(CultureInfo.InvariantCulture) ?? "?"}",
            _ => string.Empty,
        };
        var reason = snapshot.Reason is { Length: > 0 } r && snapshot.State is not ResourceState.Running ? $"  — {r}" : string.Empty;
        var standIn = snapshot.State == ResourceState.Starting && snapshot.StandInReason is { } why ? $"  (local stand-in: {why})" : string.Empty;
        var marker = snapshot.State == ResourceState.FailedToStart || (snapshot.State == ResourceState.Exited && snapshot.ExitCode is not 0) ? "✗" : "•";
        return $"{marker} {snapshot.Name,-12} {state}{health}{details}{reason}{standIn}";
    }

    private static bool IsSettled(ResourceSnapshot s) =>
        s.ResourceType == "Parameter"
        || (s.IsExplicitStart && s.State == ResourceState.NotStarted)
        || (s.State == ResourceState.Running && s.Health is not null)
        || s.IsTerminal;

    private void PrintBanner()
    {
        WriteLine($"MlOps AppHost: {model.Resources.Count(r => r is not ParameterResource)} resources, state in {model.DataDirectory}");
        if (services.GetService<IDashboardLink>() is { } link)
        {
            // The dashboard starts before the orchestrator, so its address is known here.
            WriteLine(link.LoginUrl is { } url ? $"Dashboard: {url}" : "Dashboard: not listening");
        }
    }

    private void PrintTable()
    {
        var rows = _last.Values.Where(s => s.ResourceType != "Parameter").ToArray();
        WriteLine(string.Empty);
        WriteLine($"{"RESOURCE",-14}{"TYPE",-18}{"STATE",-22}URLS");
        foreach (var s in rows)
        {
            var state = s.State + (s.State == ResourceState.Running && s.Health is { } h ? $" ({h})" : string.Empty);
            var type = s.StandInReason is null ? s.ResourceType : s.ResourceType + " (local)";
            WriteLine($"{s.Name,-14}{type,-18}{state,-22}{string.Join(' ', s.Urls.Where(u => !u.IsInternal).Select(u => u.Url))}");
        }

        if (services.GetService<IDashboardLink>()?.LoginUrl is { } url)
        {
            WriteLine($"Next: open {url} for resources and console logs; Ctrl+C stops everything.");
        }
        else
        {
            WriteLine("Next: Ctrl+C stops everything.");
        }

        WriteLine(string.Empty);
    }

    private void WriteLine(string line)
    {
        lock (_out)
        {
            _out.WriteLine(line);
            _out.Flush();
        }
    }
}
