using System.Diagnostics;
using OpenTelemetry;

namespace MlOps.Serving.Telemetry;

/// <summary>
/// Background work that records nothing while nothing happens: inside <see cref="Begin"/> OpenTelemetry drops the
/// spans of HTTP calls and database commands (an alias poll every few seconds would otherwise be a trace each time).
/// When something does happen, <see cref="StartSpan"/> records that one span regardless.
/// </summary>
internal static class QuietWork
{
    public static IDisposable Begin() => SuppressInstrumentationScope.Begin();

    /// <summary>Starts a span that is recorded even inside quiet work; end it with <see cref="EndSpan"/>.</summary>
    public static Activity? StartSpan(string name)
    {
        using (SuppressInstrumentationScope.Begin(false))
        {
            return ServingTelemetry.ActivitySource.StartActivity(name);
        }
    }

    public static void EndSpan(Activity? span)
    {
        // A span ended while suppressed is not exported.
        using (SuppressInstrumentationScope.Begin(false))
        {
            span?.Dispose();
        }
    }
}
