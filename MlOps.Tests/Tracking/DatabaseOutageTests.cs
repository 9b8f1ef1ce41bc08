using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MlOps.Tests.Infrastructure;

namespace MlOps.Tests.Tracking;

/// <summary>
/// PostgreSQL stopped as a crash would (<c>pg_ctl stop -m immediate</c>) under a running tracking server on real
/// Kestrel: the API answers 503 TEMPORARILY_UNAVAILABLE without internals, /health reports the database, and after
/// the restart every write the server acknowledged is there. A cluster of its own, since it is stopped.
/// </summary>
public sealed class DatabaseOutageTests : IAsyncLifetime
{
    private readonly PostgresFixture _postgres = PostgresFixture.Durable();

    public Task InitializeAsync() => _postgres.InitializeAsync();

    public Task DisposeAsync() => _postgres.DisposeAsync();

    [Fact]
    public async Task ImmediateStop_503WithoutInternals_HealthFollows_NoAcknowledgedWriteLost()
    {
        await using var host = await TrackingServerHost.StartAsync(_postgres);
        using var http = new HttpClient { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        var runId = await CreateRunAsync(http);
        var acknowledged = new ConcurrentBag<long>();
        using var stopWriting = new CancellationTokenSource();
        var writer = WriteUntilStoppedAsync(http, runId, acknowledged, stopWriting.Token);
        await WaitUntilAsync(() => acknowledged.Count >= 20);

        await _postgres.StopAsync(immediate: true).DefaultTimeout();
        var (status, body) = await PostAsync(http, "/api/2.0/mlflow/runs/log-metric", new { run_id = runId, key = "x", value = 1, timestamp = 1 });
        using var health = await http.GetAsync(new Uri("/health", UriKind.Relative)).DefaultTimeout();
        using var alive = await http.GetAsync(new Uri("/alive", UriKind.Relative)).DefaultTimeout();
        var healthText = await health.Content.ReadAsStringAsync().DefaultTimeout();

        Assert.Equal(503, status);
        Assert.Equal("TEMPORARILY_UNAVAILABLE", body["error_code"]!.GetValue<string>());
        foreach (var text in new[] { body.ToJsonString(), healthText })
        {
            Assert.DoesNotContain("127.0.0.1", text, StringComparison.Ordinal);
            Assert.DoesNotContain(_postgres.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), text, StringComparison.Ordinal);
        }

        Assert.Equal(503, (int)health.StatusCode);
        Assert.Equal(200, (int)alive.StatusCode);

        await _postgres.RestartAsync().DefaultTimeout();
        await WaitUntilAsync(() => IsHealthyAsync(http));
        await stopWriting.CancelAsync();
        await writer.DefaultTimeout();

        var history = await http.GetFromJsonAsync<JsonNode>(new Uri($"/api/2.0/mlflow/metrics/get-history?run_id={runId}&metric_key=loss", UriKind.Relative)).DefaultTimeout();
        var stored = history!["metrics"]!.AsArray().Select(m => m!["step"]!.GetValue<long>()).ToHashSet();
        var lost = acknowledged.Except(stored).Order().ToList();
        Assert.True(lost.Count == 0, $"{lost.Count} of {acknowledged.Count} acknowledged writes lost, first {string.Join(", ", lost.Take(5))}");
    }

    private static async Task WriteUntilStoppedAsync(HttpClient http, string runId, ConcurrentBag<long> acknowledged, CancellationToken stop)
    {
        for (long step = 0; !stop.IsCancellationRequested; step++)
        {
            try
            {
                var (status, _) = await PostAsync(http, "/api/2.0/mlflow/runs/log-metric", new { run_id = runId, key = "loss", value = step, timestamp = 1, step });
                if (status == 200)
                {
                    acknowledged.Add(step);
                }
                else
                {
                    // The database is away: a client would back off before trying again.
                    await Task.Delay(50, CancellationToken.None);
                }
            }
            catch (HttpRequestException)
            {
                await Task.Delay(50, CancellationToken.None);
            }
        }
    }

    private static async Task<string> CreateRunAsync(HttpClient http)
    {
        var (_, experiment) = await PostAsync(http, "/api/2.0/mlflow/experiments/create", new { name = "outage" });
        var (_, run) = await PostAsync(http, "/api/2.0/mlflow/runs/create", new { experiment_id = experiment["experiment_id"]!.GetValue<string>() });
        return run["run"]!["info"]!["run_id"]!.GetValue<string>();
    }

    private static async Task<(int Status, JsonNode Body)> PostAsync(HttpClient http, string path, object body)
    {
        using var response = await http.PostAsJsonAsync(new Uri(path, UriKind.Relative), body).DefaultTimeout();
        var text = await response.Content.ReadAsStringAsync().DefaultTimeout();
        return ((int)response.StatusCode, JsonNode.Parse(text)!);
    }

    private static async Task<bool> IsHealthyAsync(HttpClient http)
    {
        using var response = await http.GetAsync(new Uri("/health", UriKind.Relative)).DefaultTimeout();
        return response.IsSuccessStatusCode && await response.Content.ReadAsStringAsync().DefaultTimeout() == "OK";
    }

    private static Task WaitUntilAsync(Func<bool> condition) => WaitUntilAsync(() => Task.FromResult(condition()));

    // Polls a condition (bounded by the default timeout): a restart or a writer takes as long as it takes.
    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        using var timeout = new CancellationTokenSource(TaskTimeoutExtensions.DefaultTimeoutDuration);
        while (!await condition())
        {
            await Task.Delay(100, timeout.Token);
        }
    }
}
