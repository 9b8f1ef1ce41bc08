using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using MlOps.Hosting.Orchestration;
using MlOps.Tests.AppHost;
using MlOps.Tests.Infrastructure;

namespace MlOps.Tests.Dashboard.Browser;

/// <summary>The dashboard's pages in a real browser against a running AppHost: login, live resources, a trainer run
/// from its button, a training trace's waterfall, console logs and a metrics chart. Screenshots of each page go to
/// <c>.test-results/screenshots/</c>.</summary>
[Collection(AppHostCollection.Name)]
public sealed class DashboardBrowserTests(DashboardBrowserFixture fixture) : IClassFixture<DashboardBrowserFixture>
{
    private const float Wait = 60_000;

    [Fact]
    public async Task Login_WithTheToken_SetsTheCookieAndShowsResources_OtherwiseRefuses()
    {
        var page = await fixture.LoggedInPageAsync();
        Assert.EndsWith("/", page.Url, StringComparison.Ordinal);
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Resources", new() { Timeout = Wait });
        var cookies = await page.Context.CookiesAsync().DefaultTimeout();
        Assert.Contains(cookies, c => c.Name == "mlops-dashboard" && c.HttpOnly);

        await using var anonymous = await fixture.Browser.NewContextAsync(new() { BaseURL = fixture.DashboardUrl.ToString() }).DefaultTimeout();
        var other = await anonymous.NewPageAsync().DefaultTimeout();
        var refused = await other.GotoAsync("/login?t=wrong-token").DefaultTimeout();
        Assert.Equal((int)HttpStatusCode.Unauthorized, refused!.Status);
        await Assertions.Expect(other.Locator("[role=alert]")).ToContainTextAsync("Invalid token", new() { Timeout = Wait });
        Assert.Empty(await anonymous.CookiesAsync().DefaultTimeout());

        await other.GotoAsync("/traces").DefaultTimeout();
        Assert.Contains("/login", other.Url, StringComparison.Ordinal);
        await Assertions.Expect(other.Locator("input[name=t]")).ToBeVisibleAsync(new() { Timeout = Wait });
        await DashboardBrowserFixture.ScreenshotAsync(other, "login");
        using var api = new HttpClient { BaseAddress = fixture.DashboardUrl };
        using var response = await api.GetAsync(new Uri("/api/resources", UriKind.Relative)).DefaultTimeout();
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task ResourcesPage_ListsEveryResource_WithLiveState()
    {
        var page = await fixture.LoggedInPageAsync();
        foreach (var resource in await fixture.Host.GetResourcesAsync())
        {
            await Assertions.Expect(page.Locator($"tr[data-resource='{resource.Name}']")).ToBeVisibleAsync(new() { Timeout = Wait });
        }

        var serving = page.Locator("tr[data-resource=serving]");
        await Assertions.Expect(serving.Locator("[data-state]")).ToHaveTextAsync("Running", new() { Timeout = Wait });
        await Assertions.Expect(serving.Locator("td[data-health]")).ToHaveTextAsync("Healthy", new() { Timeout = Wait });
        await serving.Locator("td.name").ClickAsync().DefaultTimeout();
        await Assertions.Expect(page.Locator("section.details")).ToContainTextAsync("OTEL_SERVICE_NAME", new() { Timeout = Wait });
        await DashboardBrowserFixture.ScreenshotAsync(page, "resources");
    }

    [Fact]
    public async Task TrainerStartButton_TrainsAgain()
    {
        var page = await fixture.LoggedInPageAsync();
        var trainer = page.Locator("tr[data-resource=trainer]");
        await Assertions.Expect(trainer.Locator("[data-state]")).ToHaveTextAsync("Finished", new() { Timeout = Wait });
        var before = fixture.Host.History.Last(s => s.Name == "trainer").StartCount;
        await trainer.Locator("fluent-button[data-command=start]").ClickAsync().DefaultTimeout();

        var finished = await fixture.Host.WaitForAsync("trainer", s => s.StartCount == before + 1 && s.State == ResourceState.Finished, DashboardBrowserFixture.Startup);
        Assert.Equal(0, finished.ExitCode);
        Assert.Contains(fixture.Host.History, s => s.Name == "trainer" && s.StartCount == before + 1 && s.State == ResourceState.Running);
        await Assertions.Expect(trainer.Locator("[data-state]")).ToHaveTextAsync("Finished", new() { Timeout = Wait });
        await trainer.Locator("td.name").ClickAsync().DefaultTimeout();
        await Assertions.Expect(page.Locator("section.details")).ToContainTextAsync($"starts{before + 1}", new() { Timeout = Wait });
    }

    [Fact]
    public async Task TrainingTrace_Waterfall_ShowsTrainerMlflowAndPostgres()
    {
        var traceId = await WaitForTrainingTraceAsync();
        var page = await fixture.LoggedInPageAsync();
        await page.GotoAsync("/traces").DefaultTimeout();
        await Assertions.Expect(page.Locator($"tr[data-trace='{traceId}']")).ToBeVisibleAsync(new() { Timeout = Wait });
        await DashboardBrowserFixture.ScreenshotAsync(page, "traces");

        await page.Locator($"tr[data-trace='{traceId}'] a").ClickAsync().DefaultTimeout();
        await Assertions.Expect(page.Locator(".wf-row[data-span]").First).ToBeVisibleAsync(new() { Timeout = Wait });
        foreach (var service in new[] { "trainer", "mlflow", "postgres" })
        {
            await Assertions.Expect(page.Locator($".wf-row[data-service='{service}']").First).ToBeVisibleAsync(new() { Timeout = Wait });
        }

        await page.Locator(".wf-row[data-service=postgres]").First.ClickAsync().DefaultTimeout();
        await Assertions.Expect(page.Locator("section.details")).ToContainTextAsync("db.", new() { Timeout = Wait });
        await DashboardBrowserFixture.ScreenshotAsync(page, "trace-waterfall");
    }

    [Fact]
    public async Task ConsoleLogs_OfServing_ShowLines()
    {
        var page = await fixture.LoggedInPageAsync();
        await page.GotoAsync("/consolelogs/serving").DefaultTimeout();
        await DashboardBrowserFixture.WaitInteractiveAsync(page);
        await Assertions.Expect(page.Locator("#console-lines .line").First).ToBeVisibleAsync(new() { Timeout = Wait });
        Assert.True(await page.Locator("#console-lines .line").CountAsync().DefaultTimeout() > 0);
        await DashboardBrowserFixture.ScreenshotAsync(page, "console-logs");
    }

    [Fact]
    public async Task StructuredLogs_ShowRecords()
    {
        var page = await fixture.LoggedInPageAsync();
        await page.GotoAsync("/structuredlogs").DefaultTimeout();
        await Assertions.Expect(page.Locator("table.logs tbody tr").First).ToBeVisibleAsync(new() { Timeout = Wait });
        await page.Locator("table.logs tbody tr").First.ClickAsync().DefaultTimeout();
        await Assertions.Expect(page.Locator("section.details")).ToBeVisibleAsync(new() { Timeout = Wait });
        await DashboardBrowserFixture.ScreenshotAsync(page, "structured-logs");
    }

    [Fact]
    public async Task MetricsChart_ForServingRequests_Renders()
    {
        using (var serving = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{fixture.Host.Ports["serving"]}") })
        {
            for (var i = 0; i < 8; i++)
            {
                using var response = await serving.PostAsJsonAsync("/predict", SampleTransactions.Suspicious()).DefaultTimeout();
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                await Task.Delay(400);
            }
        }

        var page = await fixture.LoggedInPageAsync();
        await page.GotoAsync("/metrics?resource=serving&instrument=http.server.request.duration").DefaultTimeout();
        await Assertions.Expect(page.Locator("li[data-instrument='http.server.request.duration']")).ToBeVisibleAsync(new() { Timeout = Wait });
        await Assertions.Expect(page.Locator("svg[data-instrument='http.server.request.duration'] polyline").First).ToBeAttachedAsync(new() { Timeout = Wait });
        await DashboardBrowserFixture.ScreenshotAsync(page, "metrics");
    }

    // A trace started by the trainer that reached the tracking server and, through it, PostgreSQL.
    private async Task<string> WaitForTrainingTraceAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        string last = "";
        while (!cts.IsCancellationRequested)
        {
            last = await fixture.Host.Api.GetStringAsync(new Uri("/api/traces?resource=trainer&limit=1000", UriKind.Relative)).DefaultTimeout();
            foreach (var trace in JsonDocument.Parse(last).RootElement.EnumerateArray())
            {
                var services = trace.GetProperty("services").EnumerateArray().Select(s => s.GetString())
                    .Concat(trace.TryGetProperty("peerServices", out var peers) ? peers.EnumerateArray().Select(p => p.GetString()) : []).ToArray();
                if (services.Contains("trainer") && services.Contains("mlflow") && services.Contains("postgres"))
                {
                    return trace.GetProperty("traceId").GetString()!;
                }
            }

            await Task.Delay(1000);
        }

        throw new TimeoutException($"no trainer trace touching mlflow and postgres: {last[..Math.Min(last.Length, 2000)]}");
    }
}
