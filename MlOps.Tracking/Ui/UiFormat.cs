using System.Globalization;

namespace MlOps.Tracking.Ui;

/// <summary>How the UI writes numbers, times and sizes: invariant, short, readable.</summary>
public static class UiFormat
{
    public static string Number(double value) => value switch
    {
        double.NaN => "NaN",
        double.PositiveInfinity => "∞",
        double.NegativeInfinity => "-∞",
        _ when value == Math.Floor(value) && Math.Abs(value) < 1e15 => value.ToString("0", CultureInfo.InvariantCulture),
        _ when Math.Abs(value) >= 1e-4 && Math.Abs(value) < 1e6 => value.ToString("0.####", CultureInfo.InvariantCulture),
        _ => value.ToString("0.###e0", CultureInfo.InvariantCulture),
    };

    /// <summary>UTC, to the second: the server cannot know the reader's time zone.</summary>
    public static string Time(long? milliseconds) => milliseconds is { } ms
        ? DateTimeOffset.FromUnixTimeMilliseconds(ms).UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " UTC"
        : "";

    /// <summary>UTC, to the minute, for dense tables.</summary>
    public static string ShortTime(long milliseconds) =>
        DateTimeOffset.FromUnixTimeMilliseconds(milliseconds).UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    /// <summary>"3 min ago", from the server's clock.</summary>
    public static string Ago(long? milliseconds, long now)
    {
        if (milliseconds is not { } ms)
        {
            return "";
        }

        var seconds = Math.Max(0, (now - ms) / 1000);
        return seconds switch
        {
            < 60 => "just now",
            < 3600 => $"{seconds / 60} min ago",
            < 86400 => $"{seconds / 3600} h ago",
            _ => $"{seconds / 86400} d ago",
        };
    }

    public static string Duration(long start, long? end, long now)
    {
        var milliseconds = Math.Max(0, (end ?? now) - start);
        var span = TimeSpan.FromMilliseconds(milliseconds);
        return span.TotalSeconds switch
        {
            < 1 => $"{milliseconds} ms",
            < 60 => string.Create(CultureInfo.InvariantCulture, $"{span.TotalSeconds:0.#} s"),
            < 3600 => $"{(int)span.TotalMinutes} min {span.Seconds} s",
            _ => $"{(int)span.TotalHours} h {span.Minutes} min",
        };
    }

    public static string Bytes(long? bytes) => bytes switch
    {
        null => "",
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.#} KB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024):0.#} MB"),
    };

    public static string Count(int value) => value.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>The short form of a git commit or a run id.</summary>
    public static string Short(string? id, int length = 8) => id is null ? "" : id.Length <= length ? id : id[..length];

    /// <summary>The CSS class of a run status badge.</summary>
    public static string StatusClass(string status) => status switch
    {
        "FINISHED" => "ok",
        "RUNNING" or "SCHEDULED" => "live",
        "FAILED" => "bad",
        _ => "muted",
    };
}
