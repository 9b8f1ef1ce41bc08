using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MlOps.Dashboard;
using MlOps.Dashboard.Otlp;
using MlOps.Dashboard.Telemetry;
using MlOps.Hosting.Orchestration;
using MlOps.Tests.Infrastructure;

namespace MlOps.Tests.Dashboard;

/// <summary>The dashboard as AddDashboard wires it (OTLP receiver + store + web host with its JSON API), on free
/// 127.0.0.1 ports of its own, without an orchestrator behind it.</summary>
public sealed class DashboardTestHost : IAsyncDisposable
{
    public const string ApiKey = "test-otlp-key";

    private readonly ServiceProvider _services;

    private DashboardTestHost(ServiceProvider services, DashboardOptions options)
    {
        _services = services;
        Options = options;
        Api = new HttpClient { BaseAddress = new Uri(options.Url) };
        Api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", options.BrowserToken);
    }

    public DashboardOptions Options { get; }

    public TelemetryRepository Repository => _services.GetRequiredService<TelemetryRepository>();

    public Uri GrpcAddress => _services.GetRequiredService<OtlpReceiverHost>().GrpcAddress!;

    public Uri HttpAddress => _services.GetRequiredService<OtlpReceiverHost>().HttpAddress!;

    /// <summary>An HTTP client for the JSON API, with the bearer token.</summary>
    public HttpClient Api { get; }

    public static async Task<DashboardTestHost> StartAsync(TelemetryOptions? limits = null, string? apiKey = ApiKey)
    {
        var options = new DashboardOptions
        {
            Url = $"http://127.0.0.1:{FreePorts.Next()}",
            OtlpGrpcUrl = $"http://127.0.0.1:{FreePorts.Next()}",
            OtlpHttpUrl = $"http://127.0.0.1:{FreePorts.Next()}",
            BrowserToken = "test-browser-token",
            OtlpApiKey = apiKey,
            Telemetry = limits ?? new TelemetryOptions(),
        };
        var services = new ServiceCollection()
            .AddLogging(b => b.SetMinimumLevel(LogLevel.Warning))
            .AddSingleton<ResourceNotificationService>()
            .AddSingleton(new ResourceLoggerService())
            .AddSingleton<IResourceCommandService, NoResourceCommands>()
            .AddDashboardServices(options)
            .BuildServiceProvider();
        var host = new DashboardTestHost(services, options);
        await services.GetRequiredService<OtlpReceiverHost>().StartAsync(CancellationToken.None).DefaultTimeout();
        await services.GetRequiredService<DashboardWebHost>().StartAsync(CancellationToken.None).DefaultTimeout();
        return host;
    }

    /// <summary>GET a JSON API path as a document (the raw JSON, so tests see the real field names).</summary>
    public async Task<JsonElement> GetJsonAsync(string path)
    {
        using var response = await Api.GetAsync(new Uri(path, UriKind.Relative)).DefaultTimeout();
        var body = await response.Content.ReadAsStringAsync().DefaultTimeout();
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    public async Task<T> GetAsync<T>(string path) =>
        (await Api.GetFromJsonAsync<T>(new Uri(path, UriKind.Relative), JsonSerializerOptions.Web).DefaultTimeout())!;

    public async ValueTask DisposeAsync()
    {
        Api.Dispose();
        await _services.GetRequiredService<DashboardWebHost>().StopAsync(CancellationToken.None).DefaultTimeout();
        await _services.GetRequiredService<OtlpReceiverHost>().StopAsync(CancellationToken.None).DefaultTimeout();
        await _services.DisposeAsync().DefaultTimeout();
    }

    // The resource commands are the orchestrator's; these tests have none to run.
    private sealed class NoResourceCommands : IResourceCommandService
    {
        public Task<ResourceCommandResult> ExecuteAsync(string resourceName, string commandName, CancellationToken cancellationToken) =>
            Task.FromResult(new ResourceCommandResult(false, "no orchestrator in this test"));
    }
}
