using System.Net;
using System.Text.Json;
using Grpc.Core;
using Grpc.Net.Client;
using MlOps.Tests.Infrastructure;
using OpenTelemetry.Proto.Collector.Trace.V1;
using static MlOps.Tests.Dashboard.OtlpMessages;

namespace MlOps.Tests.Dashboard;

/// <summary>The telemetry JSON API: the dashboard's login, problem details for client errors.</summary>
public sealed class TelemetryApiTests
{
    [Fact]
    public async Task Api_WithoutToken_IsRefused()
    {
        await using var host = await DashboardTestHost.StartAsync();
        using var anonymous = new HttpClient { BaseAddress = host.Api.BaseAddress };
        foreach (var path in new[] { "/api/telemetry/resources", "/api/logs", "/api/traces", "/api/metrics" })
        {
            using var response = await anonymous.GetAsync(new Uri(path, UriKind.Relative)).DefaultTimeout();
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        using var login = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = host.Api.BaseAddress };
        using var loggedIn = await login.GetAsync(new Uri($"/login?t={host.Options.BrowserToken}", UriKind.Relative)).DefaultTimeout();
        Assert.Equal(HttpStatusCode.Redirect, loggedIn.StatusCode);
        Assert.Equal(JsonValueKind.Array, (await host.GetJsonAsync("/api/traces")).ValueKind);
    }

    [Theory]
    [InlineData("/api/logs?level=loud", 400)]
    [InlineData("/api/logs?limit=0", 400)]
    [InlineData("/api/traces?minDurationMs=-1", 400)]
    [InlineData("/api/traces/not-a-trace-id", 400)]
    [InlineData("/api/traces/0123456789abcdef0123456789abcdef", 404)]
    [InlineData("/api/metrics/nobody/cpu", 404)]
    public async Task Api_ClientErrors_AreProblemDetails(string path, int status)
    {
        await using var host = await DashboardTestHost.StartAsync();
        using var response = await host.Api.GetAsync(new Uri(path, UriKind.Relative)).DefaultTimeout();
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync().DefaultTimeout()).RootElement;
        Assert.Equal(status, problem.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task Traces_UnknownSender_AppearsAsItsOwnResource()
    {
        await using var host = await DashboardTestHost.StartAsync();
        using var channel = GrpcChannel.ForAddress(host.GrpcAddress);
        var resource = new OpenTelemetry.Proto.Resource.V1.Resource();
        await new TraceService.TraceServiceClient(channel).ExportAsync(Traces(resource, Span(1, 1, "anonymous")),
            [new Metadata.Entry("x-otlp-api-key", DashboardTestHost.ApiKey)]).ResponseAsync.DefaultTimeout();

        var overview = await host.GetJsonAsync("/api/telemetry/resources");
        Assert.Equal("unknown_service", Assert.Single(overview.GetProperty("resources").EnumerateArray()).GetProperty("id").GetString());
        var trace = Assert.Single((await host.GetJsonAsync("/api/traces?resource=unknown_service")).EnumerateArray());
        Assert.Equal("anonymous", trace.GetProperty("rootName").GetString());
    }
}
