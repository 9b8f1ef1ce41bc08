using System.Globalization;
using TrackingBench;

// Usage: TrackingBench <tracking-url> metrics [writers] [metrics-per-writer] [batch-size]
//        TrackingBench <tracking-url> tags [writers] [calls-per-writer]
// Each case prints human lines, then one "RESULT case key=value ..." line that run.sh collects for its summary.
var baseUri = new Uri(args.Length > 0 ? args[0] : "http://127.0.0.1:5000");
var mode = args.Length > 1 ? args[1] : "metrics";
int Arg(int index, int fallback) => args.Length > index ? int.Parse(args[index], CultureInfo.InvariantCulture) : fallback;

using var http = new HttpClient { BaseAddress = baseUri, Timeout = TimeSpan.FromMinutes(5) };
var api = new TrackingApi(http);
return mode switch
{
    "metrics" => await MetricsCase.RunAsync(api, writers: Arg(2, 8), perWriter: Arg(3, 10_000), batchSize: Arg(4, 1_000)),
    "tags" => await ConcurrentTagsCase.RunAsync(api, writers: Arg(2, 8), callsPerWriter: Arg(3, 100)),
    _ => throw new ArgumentException($"Unknown case '{mode}': use metrics or tags."),
};
