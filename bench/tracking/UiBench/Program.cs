using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using UiBench;

// Usage: UiBench seed <tracking-url> <runs> <writers> <state.json>
//        UiBench measure <tracking-url> <state.json> [repeats]
// Seeding fills one experiment through the REST API; measuring times every UI page (the server-rendered HTML, read
// whole) next to the REST calls that read the same data, each repeated and reported as median, p95 and max.
var mode = args[0];
using var http = new HttpClient { BaseAddress = new Uri(args[1]), Timeout = TimeSpan.FromMinutes(5) };
var api = new Api(http);
if (mode == "seed")
{
    var clock = Stopwatch.StartNew();
    var seeded = await new Seeder(api, int.Parse(args[2], CultureInfo.InvariantCulture), int.Parse(args[3], CultureInfo.InvariantCulture)).SeedAsync();
    await File.WriteAllTextAsync(args[4], JsonSerializer.Serialize(seeded));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"seeded {args[2]} runs through the REST API in {clock.Elapsed.TotalSeconds:F1} s"));
    return;
}

var state = JsonSerializer.Deserialize<Seeded>(await File.ReadAllTextAsync(args[2]))!;
var repeats = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 20;
var filter = Uri.EscapeDataString("metrics.test_pr_auc > 0.4 and params.num_leaves = '31'");
var experiment = $"/experiments/{state.ExperimentId}";
var pages = new (string Name, string Path)[]
{
    ("experiments (home)", "/"),
    ("runs, newest first", experiment),
    ("runs, sorted by test_pr_auc", $"{experiment}?sort=metrics.test_pr_auc&dir=desc"),
    ("runs, filtered", $"{experiment}?filter={filter}"),
    ("runs, page 150 of 200", $"{experiment}?page=150"),
    ("run (500-step curves)", $"/runs/{state.CurvesRun}"),
    ("compare 3 runs", "/compare?" + string.Join('&', state.CompareRuns.Select(r => "runs=" + r))),
    ("models", "/models"),
    ("model fraud-detector", "/models/fraud-detector"),
};
var rest = new (string Name, Func<Task> Call)[]
{
    ("runs/search, 50 newest", () => api.PostAsync("runs/search", new JsonObject { ["experiment_ids"] = new JsonArray(state.ExperimentId), ["max_results"] = 50 })),
    ("runs/search, by test_pr_auc", () => api.PostAsync("runs/search", new JsonObject
    {
        ["experiment_ids"] = new JsonArray(state.ExperimentId), ["max_results"] = 50, ["order_by"] = new JsonArray("metrics.test_pr_auc DESC"),
    })),
    ("runs/search, filtered", () => api.PostAsync("runs/search", new JsonObject
    {
        ["experiment_ids"] = new JsonArray(state.ExperimentId), ["max_results"] = 50, ["filter"] = Uri.UnescapeDataString(filter),
    })),
    ("runs/get", () => http.GetStringAsync(new Uri($"/api/2.0/mlflow/runs/get?run_id={state.CurvesRun}", UriKind.Relative))),
    ("metrics/get-history (500)", () => http.GetStringAsync(new Uri($"/api/2.0/mlflow/metrics/get-history?run_id={state.CurvesRun}&metric_key=valid_pr_auc", UriKind.Relative))),
    ("registered-models/get", () => http.GetStringAsync(new Uri("/api/2.0/mlflow/registered-models/get?name=fraud-detector", UriKind.Relative))),
};

var pageTimes = new List<(string, double[])>();
foreach (var (name, path) in pages)
{
    pageTimes.Add((name, await Timing.RepeatAsync(repeats, () => Timing.PageAsync(http, path))));
}

var restTimes = new List<(string, double[])>();
foreach (var (name, call) in rest)
{
    restTimes.Add((name, await Timing.RepeatAsync(repeats, call)));
}

Timing.Print("UI page (server-rendered HTML)", pageTimes);
Timing.Print("REST, same data (baseline)", restTimes);
var slowest = pageTimes.Max(p => Timing.Percentile(p.Item2, 0.95));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"slowest page p95 {slowest:F1} ms: {(slowest < 300 ? "every page under" : "OVER")} the 300 ms target at this size"));
