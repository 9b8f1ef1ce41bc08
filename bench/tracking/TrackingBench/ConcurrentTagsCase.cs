using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;

namespace TrackingBench;

/// <summary>
/// The deadlock found attacking the server: writers on ONE run, each sending the same 5 tags (and params) in its own
/// random order, many times. Counts the calls that failed (before the fix: 40P01 deadlocks answered as 500s).
/// </summary>
internal static class ConcurrentTagsCase
{
    public static async Task<int> RunAsync(TrackingApi api, int writers, int callsPerWriter)
    {
        var runId = await api.CreateRunAsync("concurrent-tags");
        var keys = Enumerable.Range(0, 5).Select(i => $"tag{i}").ToArray();
        var failures = new ConcurrentDictionary<int, int>();
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, writers).Select(async writer =>
        {
            var random = new Random(writer);
            for (var call = 0; call < callsPerWriter; call++)
            {
                var tags = keys.OrderBy(_ => random.Next()).Select(k => (JsonNode)new JsonObject { ["key"] = k, ["value"] = $"w{writer}-{call}" });
                var parameters = keys.OrderBy(_ => random.Next()).Select(k => (JsonNode)new JsonObject { ["key"] = k, ["value"] = "same" });
                var (status, _) = await api.TryPostAsync("/api/2.0/mlflow/runs/log-batch",
                    new JsonObject { ["run_id"] = runId, ["tags"] = new JsonArray([.. tags]), ["params"] = new JsonArray([.. parameters]) });
                if (status != 200)
                {
                    failures.AddOrUpdate(status, 1, (_, n) => n + 1);
                }
            }
        }));
        var elapsed = clock.Elapsed;
        var calls = writers * callsPerWriter;
        var failed = failures.Values.Sum();
        var byStatus = failures.IsEmpty ? "none" : string.Join(",", failures.OrderBy(f => f.Key).Select(f => $"{f.Key}x{f.Value}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"concurrent tags: writers={writers} calls/writer={callsPerWriter} on one run; failed {failed}/{calls} (by status: {byStatus})"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"RESULT tags calls={calls} failed={failed} rate={calls / elapsed.TotalSeconds:F0} seconds={elapsed.TotalSeconds:F2}"));
        return failed == 0 ? 0 : 1;
    }
}
