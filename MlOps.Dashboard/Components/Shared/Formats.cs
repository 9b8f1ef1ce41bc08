using System.Globalization;

namespace MlOps.Dashboard.Components.Shared;

/// <summary>How the pages write times, durations and colours.</summary>
public static class Formats
{
    private static readonly string[] s_palette =
        ["#0f6cbd", "#c239b3", "#13a10e", "#ca5010", "#8764b8", "#038387", "#d13438", "#986f0b", "#4f6bed", "#5c2e91"];

    /// <summary>Local time of day with milliseconds.</summary>
    public static string Time(DateTime utc) => utc.ToLocalTime().ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture);

    /// <summary>Local time of day.</summary>
    public static string Time(DateTimeOffset? time) => time?.ToLocalTime().ToString("HH:mm:ss", CultureInfo.InvariantCulture) ?? "";

    /// <summary>A duration in ms, µs or s as fits.</summary>
    public static string Duration(double ms) => ms switch
    {
        < 1 => string.Create(CultureInfo.InvariantCulture, $"{ms * 1000:0}µs"),
        < 1000 => string.Create(CultureInfo.InvariantCulture, $"{ms:0.##}ms"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{ms / 1000:0.##}s"),
    };

    /// <summary>A number for axes and tables.</summary>
    public static string Number(double value) => Math.Abs(value) switch
    {
        >= 1_000_000 => string.Create(CultureInfo.InvariantCulture, $"{value / 1_000_000:0.##}M"),
        >= 10_000 => string.Create(CultureInfo.InvariantCulture, $"{value / 1000:0.#}k"),
        >= 100 => value.ToString("0", CultureInfo.InvariantCulture),
        >= 1 => value.ToString("0.##", CultureInfo.InvariantCulture),
        0 => "0",
        _ => value.ToString("0.####", CultureInfo.InvariantCulture),
    };

    /// <summary>A stable colour for a service name.</summary>
    public static string Colour(string service)
    {
        var hash = 0u;
        foreach (var c in service)
        {
            hash = (hash * 31) + c;
        }

        return s_palette[hash % (uint)s_palette.Length];
    }

    /// <summary>A CSS class for a resource state.</summary>
    public static string StateClass(ResourceSnapshotView view) => view.State switch
    {
        "Running" => view.Health == "Unhealthy" ? "state warn" : "state ok",
        "Finished" => view.ExitCode == 0 ? "state done" : "state bad",
        "FailedToStart" or "Exited" => "state bad",
        _ => "state pending",
    };
}

/// <summary>The few facts of a snapshot a state badge needs.</summary>
/// <param name="State">The state's name.</param>
/// <param name="Health">The health's name, if any.</param>
/// <param name="ExitCode">The exit code, if any.</param>
public readonly record struct ResourceSnapshotView(string State, string? Health, int? ExitCode);
