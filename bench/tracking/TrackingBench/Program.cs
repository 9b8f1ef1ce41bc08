using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

// Usage: TrackingBench <tracking-url> [writers] [metrics-per-writer] [batch-size]
// Each writer owns one run and logs its metrics through runs/log-batch; then every point is counted back
// through metrics/get-history. Figures are printed last.
var baseUri = new Uri(args.Length > 0 ? args[0] : "http://127.0.0.1:5000");
var writers = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 8;
var perWriter = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 10_000;
var batchSize = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 1_000;
const int Keys = 10;

using var http = new HttpClient { BaseAddress = baseUri, Timeout = TimeSpan.FromMinutes(5) };

async Task<JsonNode> PostAsync(string path, JsonObject body)
{
    using var content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
    using var response = await http.PostAsync(new Uri(path, UriKind.Relative), content);
    var text = await response.Content.ReadAsStringAsync();
    return response.IsSuccessStatusCode ? JsonNode.Parse(text)! : throw new InvalidOperationException($"POST {path}: {(int)response.StatusCode} {text}");
}

var experiment = await PostAsync("/api/2.0/mlflow/experiments/create", new JsonObject { ["name"] = $"bench-{Guid.NewGuid():N}" });
var experimentId = experiment["experiment_id"]!.GetValue<string>();
var runIds = new List<string>();
for (var w = 0; w < writers; w++)
{
    var run = await PostAsync("/api/2.0/mlflow/runs/create", new JsonObject { ["experiment_id"] = experimentId, ["run_name"] = $"writer-{w}" });
    runIds.Add(run["run"]!["info"]!["run_id"]!.GetValue<string>());
}

var latencies = new List<double>();
var clock = Stopwatch.StartNew();
await Task.WhenAll(runIds.Select(async (runId, w) =>
{
    for (var start = 0; start < perWriter; start += batchSize)
    {
        var metrics = new JsonArray();
        for (var i = start; i < Math.Min(start + batchSize, perWriter); i++)
        {
            metrics.Add(new JsonObject { ["key"] = $"m{i % Keys}", ["value"] = Math.Sin(i), ["timestamp"] = 1_700_000_000_000L + i, ["step"] = i / Keys });
        }

        var batchClock = Stopwatch.StartNew();
        await PostAsync("/api/2.0/mlflow/runs/log-batch", new JsonObject { ["run_id"] = runId, ["metrics"] = metrics });
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
        var history = await http.GetFromJsonAsync<JsonElement>(new Uri($"/api/2.0/mlflow/metrics/get-history?run_id={runId}&metric_key=m{k}", UriKind.Relative));
        stored += history.TryGetProperty("metrics", out var points) ? points.GetArrayLength() : 0;
    }
}

var expected = (long)writers * perWriter;
latencies.Sort();
double Percentile(double p) => latencies[(int)Math.Min(latencies.Count - 1, Math.Ceiling(p * latencies.Count) - 1)];
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"writers={writers} metrics/writer={perWriter} batch={batchSize} cores={Environment.ProcessorCount}"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"stored={stored}/{expected} {(stored == expected ? "OK" : "MISSING POINTS")}"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"log-batch: {expected / elapsed.TotalSeconds:F0} metrics/s in {elapsed.TotalSeconds:F2} s; batch latency p50 {Percentile(0.5):F1} ms, p95 {Percentile(0.95):F1} ms, max {latencies[^1]:F1} ms"));
return stored == expected ? 0 : 1;
