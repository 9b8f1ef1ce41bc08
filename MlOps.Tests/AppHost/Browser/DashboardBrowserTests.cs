using System.Text.Json;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Playwright;
using MlOps.Tests.Infrastructure;

namespace MlOps.Tests.AppHost.Browser;

/// <summary>Aspire's dashboard for the real AppHost, in Chromium: the login with the printed token, every resource,
/// the trainer's Train command, and a training as one trace across trainer, mlflow and PostgreSQL.</summary>
[Collection(AppHostCollection.Name)]
public sealed class DashboardBrowserTests(DashboardFixture fixture) : IClassFixture<DashboardFixture>
{
    private static readonly string[] s_resources = ["postgres", "trackingdb", "mlflowdb", "servingdb", "mlflow", "data", "trainer", "serving"];

    [Fact]
    public async Task Login_WithTheToken_ListsEveryResource_AWrongTokenIsRefused()
    {
        var page = await fixture.LoggedInPageAsync();
        foreach (var name in s_resources)
        {
            await page.GetByText(name, new() { Exact = true }).First.WaitForAsync().DefaultTimeout();
        }

        await DashboardFixture.ScreenshotAsync(page, "dashboard-resources");

        var stranger = await (await fixture.Browser.NewContextAsync(new() { BaseURL = fixture.DashboardUrl.ToString() }).DefaultTimeout()).NewPageAsync().DefaultTimeout();
        await stranger.GotoAsync("/login?t=not-the-token").DefaultTimeout();
        await stranger.GotoAsync("/").DefaultTimeout();
        Assert.Contains("/login", stranger.Url, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TrainCommand_FromTheResourcesPage_StartsTheTrainer()
    {
        var page = await fixture.LoggedInPageAsync();
        var started = fixture.App.WaitForAsync("trainer", s => s.State?.Text is { } state
            && (state == KnownResourceStates.Starting || state == KnownResourceStates.Running || state == KnownResourceStates.Waiting), DashboardFixture.Startup);

        // The command is highlighted, so the trainer's row carries it as a button of its own.
        var row = page.GetByRole(AriaRole.Row).Filter(new() { Has = page.GetByText("trainer", new() { Exact = true }) });
        await row.GetByRole(AriaRole.Button, new() { Name = "Train" }).ClickAsync().DefaultTimeout();
        await started;
        var finished = await fixture.App.WaitForAsync("trainer", MlOpsApp.Completed, DashboardFixture.Startup);
        Assert.Equal(0, finished.Snapshot.ExitCode);
        await DashboardFixture.ScreenshotAsync(page, "dashboard-trained");
    }

    [Fact]
    public async Task Training_IsOneTrace_AcrossTrainerMlflowAndPostgres()
    {
        var page = await fixture.LoggedInPageAsync();

        // The dashboard's telemetry API finds the training's trace.
        using var api = new HttpClient { BaseAddress = fixture.DashboardUrl };
        api.DefaultRequestHeaders.Add("x-api-key", fixture.ApiKey);
        var traceId = await TrainingTraceIdAsync(api);
        using var spans = JsonDocument.Parse(await GetAsync(api, $"/api/telemetry/spans?traceId={traceId}"));
        var services = Spans(spans.RootElement).Select(s => s.Service).ToHashSet();
        Assert.Contains("trainer", services);
        Assert.Contains("mlflow", services);
        Assert.Contains(Spans(spans.RootElement), s => s.Attributes.TryGetValue("db.system", out var db) && db == "postgresql"
            || s.Attributes.TryGetValue("db.system.name", out db) && db == "postgresql");

        // The trace page shows the same: the trainer, mlflow and PostgreSQL (a peer the dashboard matches to 'postgres').
        await page.GotoAsync($"/traces/detail/{traceId}").DefaultTimeout();
        foreach (var name in new[] { "trainer", "mlflow", "postgres" })
        {
            await page.GetByText(name, new() { Exact = false }).First.WaitForAsync().DefaultTimeout();
        }

        await DashboardFixture.ScreenshotAsync(page, "dashboard-training-trace");
    }

    private static async Task<string> TrainingTraceIdAsync(HttpClient api)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            using var traces = JsonDocument.Parse(await GetAsync(api, "/api/telemetry/spans?resource=trainer&limit=5000"));
            if (Spans(traces.RootElement).FirstOrDefault(s => s.Name == "training run") is { TraceId: { } id })
            {
                return id;
            }

            await Task.Delay(1000);
        }

        throw new Xunit.Sdk.XunitException("no 'training run' span reached the dashboard");
    }

    private static async Task<string> GetAsync(HttpClient api, string path)
    {
        using var response = await api.GetAsync(path).DefaultTimeout();
        var body = await response.Content.ReadAsStringAsync().DefaultTimeout();
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {body}");
        return body;
    }

    // OTLP JSON: resourceSpans[].resource.attributes (service.name) and scopeSpans[].spans[] (name, traceId, attributes).
    private static IEnumerable<(string? Service, string? Name, string? TraceId, Dictionary<string, string?> Attributes)> Spans(JsonElement root)
    {
        foreach (var resourceSpans in Find(root, "resourceSpans").SelectMany(a => a.EnumerateArray()))
        {
            var service = Attributes(resourceSpans.GetProperty("resource")).GetValueOrDefault("service.name");
            foreach (var span in resourceSpans.GetProperty("scopeSpans").EnumerateArray().SelectMany(s => s.GetProperty("spans").EnumerateArray()))
            {
                yield return (service, span.GetProperty("name").GetString(), span.GetProperty("traceId").GetString(), Attributes(span));
            }
        }
    }

    private static Dictionary<string, string?> Attributes(JsonElement element) =>
        !element.TryGetProperty("attributes", out var attributes) ? [] : attributes.EnumerateArray().ToDictionary(
            a => a.GetProperty("key").GetString()!,
            a => a.GetProperty("value").EnumerateObject().Select(v => v.Value.ToString()).FirstOrDefault());

    private static IEnumerable<JsonElement> Find(JsonElement element, string name)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in element.EnumerateObject())
            {
                if (property.Name == name)
                {
                    yield return property.Value;
                }
                else
                {
                    foreach (var found in Find(property.Value, name))
                    {
                        yield return found;
                    }
                }
            }
        }
    }
}
