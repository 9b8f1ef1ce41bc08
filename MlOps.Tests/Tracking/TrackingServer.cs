using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using MlOps.Tests.Infrastructure;

namespace MlOps.Tests.Tracking;

/// <summary>A tracking server of its own for one test: a fresh database, a fresh artifact folder, an in-memory host.</summary>
public sealed class TrackingServer : IAsyncDisposable
{
    private readonly Factory _factory;
    private readonly TempDirectory _artifacts;

    private TrackingServer(Factory factory, TempDirectory artifacts, string connectionString)
    {
        _factory = factory;
        _artifacts = artifacts;
        ConnectionString = connectionString;
        Client = factory.CreateClient();
    }

    public HttpClient Client { get; }

    /// <summary>A handler into the in-memory server, for clients a test builds itself.</summary>
    public HttpMessageHandler CreateHandler() => _factory.Server.CreateHandler();

    public string ConnectionString { get; }

    public string ArtifactsRoot => Path.Combine(_artifacts.Path, "store");

    public string ArtifactsParent => _artifacts.Path;

    public static async Task<TrackingServer> StartAsync(PostgresFixture postgres)
    {
        var connectionString = await postgres.CreateDatabaseAsync();
        var artifacts = new TempDirectory();
        var factory = new Factory(connectionString, Path.Combine(artifacts.Path, "store"));
        var server = new TrackingServer(factory, artifacts, connectionString);

        // The first request starts the host, which migrates the schema.
        using var health = await server.Client.GetAsync(new Uri("/health", UriKind.Relative)).DefaultTimeout();
        health.EnsureSuccessStatusCode();
        return server;
    }

    public async Task<(int Status, JsonNode? Body)> PostAsync(string path, object body)
    {
        var json = body as string ?? JsonSerializer.Serialize(body);
        using var content = new StringContent(json, Encoding.UTF8, new MediaTypeHeaderValue("application/json"));
        using var response = await Client.PostAsync(new Uri(path, UriKind.Relative), content).DefaultTimeout();
        return await ReadAsync(response);
    }

    public async Task<(int Status, JsonNode? Body)> GetAsync(string path)
    {
        using var response = await Client.GetAsync(new Uri(path, UriKind.Relative)).DefaultTimeout();
        return await ReadAsync(response);
    }

    public async Task<JsonNode> PostOkAsync(string path, object body)
    {
        var (status, json) = await PostAsync(path, body);
        Assert.True(status == 200, $"POST {path} answered {status}: {json?.ToJsonString()}");
        return json!;
    }

    public async Task<JsonNode> GetOkAsync(string path)
    {
        var (status, json) = await GetAsync(path);
        Assert.True(status == 200, $"GET {path} answered {status}: {json?.ToJsonString()}");
        return json!;
    }

    public async Task<string> CreateExperimentAsync(string? name = null)
    {
        var created = await PostOkAsync("/api/2.0/mlflow/experiments/create", new { name = name ?? $"exp-{Guid.NewGuid():N}" });
        return created["experiment_id"]!.GetValue<string>();
    }

    public async Task<string> CreateRunAsync(string experimentId)
    {
        var created = await PostOkAsync("/api/2.0/mlflow/runs/create", new { experiment_id = experimentId, start_time = 1 });
        return created["run"]!["info"]!["run_id"]!.GetValue<string>();
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _factory.DisposeAsync();
        _artifacts.Dispose();
    }

    private static async Task<(int Status, JsonNode? Body)> ReadAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync().DefaultTimeout();
        return ((int)response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    private sealed class Factory(string connectionString, string artifactsRoot) : WebApplicationFactory<global::MlOps.Tracking.Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseSetting("ConnectionStrings:tracking", connectionString);
            builder.UseSetting("Tracking:ArtifactsRoot", artifactsRoot);
        }
    }
}
