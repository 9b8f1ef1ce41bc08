using Microsoft.AspNetCore.Builder;

namespace MlOps.Dashboard;

internal static class WebApplicationStop
{
    /// <summary>The most a dashboard web host waits for open connections when the AppHost stops.</summary>
    public static readonly TimeSpan Budget = TimeSpan.FromSeconds(2);

    // Browser tabs (Blazor circuits) and exporters (HTTP/2) keep connections open; they must not hold up Ctrl+C.
    public static async Task StopWithinBudgetAsync(this WebApplication app, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Budget);
        await app.StopAsync(timeout.Token).ConfigureAwait(false);
    }
}
