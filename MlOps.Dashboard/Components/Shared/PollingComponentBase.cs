using Microsoft.AspNetCore.Components;

namespace MlOps.Dashboard.Components.Shared;

/// <summary>A page that reloads its data from the telemetry store every <see cref="Interval"/> while it is shown.</summary>
public abstract class PollingComponentBase : ComponentBase, IDisposable
{
    /// <summary>How often <see cref="Refresh"/> runs.</summary>
    protected static readonly TimeSpan Interval = TimeSpan.FromSeconds(1.5);

    private Timer? _timer;

    /// <summary>Reads the data shown (called on the renderer's thread).</summary>
    protected abstract void Refresh();

    /// <inheritdoc />
    protected override void OnInitialized()
    {
        Refresh();
        _timer = new Timer(_ => _ = InvokeAsync(() =>
        {
            Refresh();
            StateHasChanged();
        }), null, Interval, Interval);
    }

    /// <summary>Stops the timer.</summary>
    public void Dispose()
    {
        _timer?.Dispose();
        GC.SuppressFinalize(this);
    }
}
