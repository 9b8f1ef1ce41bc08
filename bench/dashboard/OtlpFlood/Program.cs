using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using MlOps.Dashboard.Otlp;
using MlOps.Dashboard.Telemetry;
using OtlpFlood;

// bench/dashboard: N concurrent OTLP/gRPC clients flood the dashboard's receiver with batches of spans and log records
// for DURATION seconds. By default the receiver and its store run in this process (default limits, as in the AppHost),
// so the memory printed is the dashboard's under load; TARGET=http://host:port floods a running receiver instead.
// Prints spans/s and log records/s ingested, and working set + GC heap before, every 5 s, and after. Figures last.
var duration = TimeSpan.FromSeconds(Env("DURATION", 30));
var clients = Env("CLIENTS", 4);
var spansPerBatch = Env("SPANS_PER_BATCH", 512);
var logsPerBatch = Env("LOGS_PER_BATCH", 512);
var spansPerTrace = Env("SPANS_PER_TRACE", 8);
var target = Environment.GetEnvironmentVariable("TARGET");
var apiKey = Environment.GetEnvironmentVariable("API_KEY") is { Length: > 0 } key ? key : null;

TelemetryRepository? repository = null;
OtlpReceiverHost? receiver = null;
if (string.IsNullOrEmpty(target))
{
    apiKey ??= Convert.ToHexStringLower(Guid.NewGuid().ToByteArray());
    repository = new TelemetryRepository(new TelemetryOptions());
    receiver = new OtlpReceiverHost(new OtlpReceiverOptions { GrpcUrl = "http://127.0.0.1:0", HttpUrl = "http://127.0.0.1:0", ApiKey = apiKey },
        repository, NullLoggerFactory.Instance);
    await receiver.StartAsync(CancellationToken.None);
    target = receiver.GrpcAddress!.ToString();
}

Console.WriteLine($"bench/dashboard: {clients} OTLP/gRPC clients -> {target} for {duration.TotalSeconds:0} s; " +
    $"batches of {spansPerBatch} spans ({spansPerTrace} per trace) and {logsPerBatch} log records; {Environment.ProcessorCount} cores; " +
    (repository is null ? "remote receiver" : $"in-process store, limits {repository.Options.MaxTraceCount} traces, {repository.Options.MaxLogCount} logs/resource"));
var flood = Enumerable.Range(0, clients).Select(c => new FloodClient(new Uri(target), apiKey, c, spansPerBatch, logsPerBatch, spansPerTrace)).ToArray();
var before = Memory.Measure(collect: true);
Console.WriteLine($"{"t (s)",6} {"spans/s",10} {"logs/s",10} {"working set",12} {"GC heap",10} {"traces",8} {"logs",8}");
Console.WriteLine($"{"before",6} {"",10} {"",10} {before}");

using var stop = new CancellationTokenSource();
var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
var clock = Stopwatch.StartNew();
var runs = flood.Select(c => Task.Run(() => c.RunAsync(stop.Token))).ToArray();
var (lastSpans, lastLogs, lastTime) = (0L, 0L, TimeSpan.Zero);
var peak = before;
while (clock.Elapsed < duration && !runs.Any(r => r.IsFaulted))
{
    await Task.Delay(TimeSpan.FromSeconds(5) - TimeSpan.FromTicks(clock.Elapsed.Ticks % TimeSpan.FromSeconds(5).Ticks));
    var (spans, logs, now) = (flood.Sum(c => c.SpansAccepted), flood.Sum(c => c.LogsAccepted), clock.Elapsed);
    var seconds = (now - lastTime).TotalSeconds;
    var memory = Memory.Measure(collect: false);
    peak = memory.WorkingSet > peak.WorkingSet ? memory : peak;
    Console.WriteLine($"{now.TotalSeconds,6:0} {(spans - lastSpans) / seconds,10:N0} {(logs - lastLogs) / seconds,10:N0} {memory} {Stored()}");
    (lastSpans, lastLogs, lastTime) = (spans, logs, now);
}

stop.Cancel();
await Task.WhenAll(runs);
var elapsed = clock.Elapsed.TotalSeconds;
var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds;
var (totalSpans, totalLogs) = (flood.Sum(c => c.SpansAccepted), flood.Sum(c => c.LogsAccepted));
var after = Memory.Measure(collect: true);
Console.WriteLine($"{"after",6} {"",10} {"",10} {after} {Stored()}");
foreach (var client in flood)
{
    client.Dispose();
}

if (receiver is not null)
{
    await receiver.DisposeAsync();
}

var spansPerSecond = totalSpans / elapsed;
Console.WriteLine();
Console.WriteLine($"spans ingested:       {totalSpans:N0} in {elapsed:0.0} s = {spansPerSecond:N0} spans/s (goal >= 50,000: {(spansPerSecond >= 50_000 ? "met" : "NOT met")})");
Console.WriteLine($"log records ingested: {totalLogs:N0} = {totalLogs / elapsed:N0} records/s");
// The machine may be shared: CPU time used says what the flood cost, whatever else ran beside it.
Console.WriteLine($"CPU used (clients + receiver + store): {cpu:0.0} s of {elapsed * Environment.ProcessorCount:0.0} available = " +
    $"{(totalSpans + totalLogs) / cpu:N0} records per CPU-second; load average {(File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a")}");
Console.WriteLine($"memory before: {before}; peak: {peak}; after (full GC): {after}");
return 0;

string Stored()
{
    if (repository is null)
    {
        return "";
    }

    var overview = repository.GetOverview();
    return $"{overview.TraceCount,8:N0} {overview.Resources.Sum(r => r.LogCount),8:N0}";
}

static int Env(string name, int fallback) =>
    int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= 0 ? value : fallback;

/// <summary>Process working set and GC heap, in MB.</summary>
internal readonly record struct Memory(long WorkingSet, long GcHeap)
{
    public static Memory Measure(bool collect)
    {
        if (collect)
        {
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }

        using var process = Process.GetCurrentProcess();
        return new Memory(process.WorkingSet64, GC.GetTotalMemory(forceFullCollection: false));
    }

    public override string ToString() => $"{WorkingSet / 1048576.0,9:N0} MB {GcHeap / 1048576.0,7:N0} MB";
}
