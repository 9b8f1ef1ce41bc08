using System.Diagnostics;
using System.Globalization;

namespace UiBench;

internal static class Timing
{
    /// <summary>Three untimed warm-up calls, then <paramref name="repeats"/> timed ones, one after the other.</summary>
    public static async Task<double[]> RepeatAsync(int repeats, Func<Task> call)
    {
        for (var i = 0; i < 3; i++)
        {
            await call();
        }

        var times = new double[repeats];
        for (var i = 0; i < repeats; i++)
        {
            var clock = Stopwatch.StartNew();
            await call();
            times[i] = clock.Elapsed.TotalMilliseconds;
        }

        return times;
    }

    /// <summary>GETs a page and reads it whole; anything but 200 is a failure of the benchmark.</summary>
    public static async Task PageAsync(HttpClient http, string path)
    {
        using var response = await http.GetAsync(new Uri(path, UriKind.Relative));
        var html = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode || !html.Contains("</html>", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"GET {path}: {(int)response.StatusCode}");
        }
    }

    public static double Percentile(double[] values, double p)
    {
        var sorted = values.Order().ToArray();
        return sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
    }

    public static void Print(string title, List<(string Name, double[] Times)> rows)
    {
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{title,-36} {"median ms",10} {"p95 ms",8} {"max ms",8}"));
        foreach (var (name, times) in rows)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {name,-34} {Percentile(times, 0.5),10:F1} {Percentile(times, 0.95),8:F1} {times.Max(),8:F1}"));
        }
    }
}
