using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace TrackingBench;

/// <summary>Each writer owns one run and logs its metrics through runs/log-batch; then every point is counted back.</summary>
internal static class MetricsCase
{
    private const int Keys = 10;

    public static async Task<int> RunAsync(TrackingApi api, int writers, int perWriter, int batchSize)
    {
        var runIds = new List<string>();
        for (var w = 0; w < writers; w++)
        {
            runIds.Add(await api.CreateRunAsync($"writer-{w}"));
        }

        var latencies = new List<double>();
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(runIds.Select(async runId =>
        {
            for (var start = 0; start < perWriter; start += batchSize)
            {
                var metrics = new JsonArray();
                for (var i = start; i < Math.Min(start + batchSize, perWriter); i++)
                {
                    metrics.Add(new JsonObject { ["key"] = $"m{i % Keys}", ["value"] = Math.Sin(i), ["timestamp"] = 1_700_000_000_000L + i, ["step"] = i / Keys });
                }

                var batchClock = Stopwatch.StartNew();
                await api.PostAsync("/api/2.0/mlflow/runs/log-batch", new JsonObject { ["run_id"] = runId, ["metrics"] = metrics });
                lock (latencies)
                {
                    latencies.Add(batchClock.Elapsed.TotalMilliseconds);
                }
            }
        }));
        var elapsed = clock.Elapsed;

        var stored = 0L;
        foreach (var runId in runIds)
        {
            for (var k = 0; k < Keys; k++)
            {
                var history = await api.Http.GetFromJsonAsync<JsonElement>(
                    new Uri($"/api/2.0/mlflow/metrics/get-history?run_id={runId}&metric_key=m{k}", UriKind.Relative));
                stored += history.TryGetProperty("metrics", out var points) ? points.GetArrayLength() : 0;
            }
        }

        var expected = (long)writers * perWriter;
        latencies.Sort();
        double Percentile(double p) => latencies[(int)Math.Min(latencies.Count - 1, Math.Ceiling(p * latencies.Count) - 1)];
        var rate = expected / elapsed.TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"metrics: writers={writers} metrics/writer={perWriter} batch={batchSize}; stored={stored}/{expected} {(stored == expected ? "OK" : "MISSING POINTS")}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"RESULT metrics rate={rate:F0} seconds={elapsed.TotalSeconds:F2} p50={Percentile(0.5):F1} p95={Percentile(0.95):F1} max={latencies[^1]:F1} stored={stored} expected={expected}"));
        return stored == expected ? 0 : 1;
    }
}
