using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using MlOps.Tests.Infrastructure;

namespace MlOps.Tests.Serving;

/// <summary>What a <see cref="FakeRegistry"/> does wrong, to attack serving with.</summary>
public enum RegistryAttack
{
    None,

    /// <summary>Accepts registry calls and never answers (a tracking server or its PostgreSQL stalled).</summary>
    Hang,

    /// <summary>The alias answer is <c>{}</c>.</summary>
    AliasEmptyObject,

    /// <summary>The alias answer is <c>{"model_version": null}</c>.</summary>
    AliasNullVersion,

    /// <summary>The alias names a model version that has no version number.</summary>
    VersionWithoutNumber,

    /// <summary>Version 2's files are at <c>s3://…</c>.</summary>
    S3Source,

    /// <summary>Version 2's files are at <c>mlflow-artifacts:/../../etc</c>.</summary>
    TraversalSource,

    /// <summary>Version 2's artifact listing holds a <c>../</c> entry.</summary>
    TraversalListing,

    /// <summary>The alias answer is 200 MB.</summary>
    HugeAnswer,
}

/// <summary>
/// A fake MLflow registry on 127.0.0.1 (real Kestrel): the attacks on serving need a registry that misbehaves on
/// purpose, which no real server does on demand. When it behaves, it answers as MLflow 2.19 does (the captures in
/// shared/mlflow-reference): <c>registered-models/alias</c>, <c>model-versions/get</c> and <c>get-download-uri</c>,
/// <c>runs/get</c>, <c>artifacts/list</c>, and the proxied artifact API (listing, then files) for model folders it
/// serves from disk. Version 1 is a real model; an attack changes what version 2 (or the alias) looks like.
/// </summary>
public sealed class FakeRegistry : IAsyncDisposable
{
    public const string ModelName = "fraud-detector";
    public const string AliasUri = "models:/fraud-detector@production";
    private const string ApiPrefix = "/api/2.0/mlflow/";
    private const string ArtifactsPrefix = "/api/2.0/mlflow-artifacts/artifacts";
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, (string RunId, string Folder)> _versions = new(StringComparer.Ordinal);

    private FakeRegistry(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    /// <summary>The version <c>@production</c> names.</summary>
    public string AliasVersion { get; set; } = "1";

    public RegistryAttack Attack { get; set; }

    /// <summary>Every request received, as "METHOD path?query".</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    public static async Task<FakeRegistry> StartAsync()
    {
        FakeRegistry? registry = null;
        var (app, address) = await LoopbackServer.StartAsync(context => registry!.HandleAsync(context));
        registry = new FakeRegistry(app, address);
        return registry;
    }

    /// <summary>Serves <paramref name="folder"/>'s files as version <paramref name="version"/> (its run's <c>model/</c> artifacts).</summary>
    public void AddVersion(string version, string folder) =>
        _versions[version] = ($"{Guid.NewGuid():N}", folder);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().WaitAsync(TimeSpan.FromSeconds(30));
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var path = request.Path.Value ?? "/";
        Requests.Enqueue($"{request.Method} {path}{request.QueryString}");
        if (Attack == RegistryAttack.Hang && path.StartsWith(ApiPrefix, StringComparison.Ordinal))
        {
            await Task.Delay(Timeout.Infinite, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
            return;
        }

        var query = request.Query;
        (int Status, string Body)? answer = path switch
        {
            ApiPrefix + "registered-models/alias" => await AliasAsync(context, query["alias"].ToString()),
            ApiPrefix + "model-versions/get" => VersionAnswer(query["version"].ToString()),
            ApiPrefix + "model-versions/get-download-uri" => DownloadUri(query["version"].ToString()),
            ApiPrefix + "runs/get" => Run(query["run_id"].ToString()),
            ApiPrefix + "artifacts/list" => RunListing(query["run_id"].ToString(), query["path"].ToString()),
            ArtifactsPrefix => Listing(query["path"].ToString()),
            _ when path.StartsWith(ArtifactsPrefix + "/", StringComparison.Ordinal) => await FileAsync(context, Uri.UnescapeDataString(path[(ArtifactsPrefix.Length + 1)..])),
            _ => Error(404, "ENDPOINT_NOT_FOUND", $"No such endpoint: {path}"),
        };
        if (answer is { } json)
        {
            context.Response.StatusCode = json.Status;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(json.Body);
        }
    }

    private async Task<(int Status, string Body)?> AliasAsync(HttpContext context, string alias)
    {
        if (alias != "production")
        {
            // As MLflow answers an alias that does not exist (error_registered_models_get_alias_missing.json).
            return Error(400, "INVALID_PARAMETER_VALUE", $"Registered model alias {alias} not found.");
        }

        switch (Attack)
        {
            case RegistryAttack.AliasEmptyObject:
                return (200, "{}");
            case RegistryAttack.AliasNullVersion:
                return (200, """{"model_version": null}""");
            case RegistryAttack.VersionWithoutNumber:
                return (200, $$$"""{"model_version": {"name": "{{{ModelName}}}", "current_stage": "None", "source": "mlflow-artifacts:/1/x/artifacts/model", "status": "READY"}}""");
            case RegistryAttack.HugeAnswer:
                await WriteHugeAnswerAsync(context);
                return null;
            default:
                return VersionAnswer(AliasVersion);
        }
    }

    // 200 MB of one JSON string, streamed so the fake itself holds only a chunk.
    private static async Task WriteHugeAnswerAsync(HttpContext context)
    {
        const int total = 200 * 1024 * 1024;
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = total;
        var head = Encoding.UTF8.GetBytes("{\"model_version\": {\"name\": \"");
        var tail = Encoding.UTF8.GetBytes("\"}}");
        var chunk = Encoding.UTF8.GetBytes(new string('a', 64 * 1024));
        try
        {
            await context.Response.Body.WriteAsync(head, context.RequestAborted);
            long written = head.Length;
            while (written + tail.Length < total)
            {
                var size = (int)Math.Min(chunk.Length, total - tail.Length - written);
                await context.Response.Body.WriteAsync(chunk.AsMemory(0, size), context.RequestAborted);
                written += size;
            }

            await context.Response.Body.WriteAsync(tail, context.RequestAborted);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
            // The client stopped reading: what a well-behaved client does with such an answer.
        }
    }

    private (int, string) VersionAnswer(string version)
    {
        if (!_versions.TryGetValue(version, out var v))
        {
            return Error(404, "RESOURCE_DOES_NOT_EXIST", $"Model Version (name={ModelName}, version={version}) not found");
        }

        var body = new Dictionary<string, object?>
        {
            ["model_version"] = new Dictionary<string, object?>
            {
                ["name"] = ModelName,
                ["version"] = version,
                ["creation_timestamp"] = 1795488665346,
                ["last_updated_timestamp"] = 1795488665346,
                ["current_stage"] = "None",
                ["description"] = "",
                ["source"] = Source(version),
                ["run_id"] = v.RunId,
                ["status"] = "READY",
                ["run_link"] = "",
                ["aliases"] = version == AliasVersion ? new[] { "production" } : Array.Empty<string>(),
            },
        };
        return (200, JsonSerializer.Serialize(body));
    }

    private string Source(string version) => (version, Attack) switch
    {
        ("2", RegistryAttack.S3Source) => "s3://mlflow-bucket/1/models/model",
        ("2", RegistryAttack.TraversalSource) => "mlflow-artifacts:/../../etc",
        _ => $"mlflow-artifacts:/1/{_versions[version].RunId}/artifacts/model",
    };

    private (int, string) DownloadUri(string version) => _versions.ContainsKey(version)
        ? (200, JsonSerializer.Serialize(new Dictionary<string, string> { ["artifact_uri"] = Source(version) }))
        : Error(404, "RESOURCE_DOES_NOT_EXIST", $"Model Version (name={ModelName}, version={version}) not found");

    private (int, string) Run(string runId)
    {
        var version = _versions.FirstOrDefault(v => v.Value.RunId == runId).Key;
        return version is null
            ? Error(404, "RESOURCE_DOES_NOT_EXIST", $"Run with id={runId} not found")
            : (200, $$$$"""{"run": {"info": {"run_uuid": "{{{{runId}}}}", "run_id": "{{{{runId}}}}", "experiment_id": "1", "status": "FINISHED", "artifact_uri": "mlflow-artifacts:/1/{{{{runId}}}}/artifacts", "lifecycle_stage": "active"}, "data": {}, "inputs": {}}}""");
    }

    // GET /api/2.0/mlflow/artifacts/list: paths relative to the run's root, as artifacts_list_model.json shows.
    private (int, string) RunListing(string runId, string path)
    {
        var version = _versions.FirstOrDefault(v => v.Value.RunId == runId).Key;
        if (version is null || path != "model")
        {
            return (200, $$"""{"root_uri": "mlflow-artifacts:/1/{{runId}}/artifacts", "files": [{"path": "model", "is_dir": true}]}""");
        }

        var files = Files(version).Select(f => new Dictionary<string, object> { ["path"] = "model/" + f.Name, ["is_dir"] = false, ["file_size"] = f.Size });
        return (200, JsonSerializer.Serialize(new Dictionary<string, object> { ["root_uri"] = $"mlflow-artifacts:/1/{runId}/artifacts", ["files"] = files }));
    }

    // GET /api/2.0/mlflow-artifacts/artifacts?path=1/<run>/artifacts/model: names relative to the folder listed.
    private (int, string) Listing(string path)
    {
        var version = VersionOf(path, out var rest);
        if (version is null || rest != "model")
        {
            return (200, """{"files": []}""");
        }

        var files = Files(version).Select(f => new Dictionary<string, object> { ["path"] = f.Name, ["is_dir"] = false, ["file_size"] = f.Size }).ToList();
        if (version == "2" && Attack == RegistryAttack.TraversalListing)
        {
            files.Add(new Dictionary<string, object> { ["path"] = "../../../escaped.txt", ["is_dir"] = false, ["file_size"] = 7 });
        }

        return (200, JsonSerializer.Serialize(new Dictionary<string, object> { ["files"] = files }));
    }

    private async Task<(int, string)?> FileAsync(HttpContext context, string path)
    {
        var version = VersionOf(path, out var rest);
        var file = version is null || !rest.StartsWith("model/", StringComparison.Ordinal)
            ? null
            : Path.Combine(_versions[version].Folder, rest["model/".Length..]);
        if (file is null || rest.Contains("..", StringComparison.Ordinal) || !File.Exists(file))
        {
            // As MLflow answers a missing artifact (error_artifact_download_missing.json).
            return Error(500, "INTERNAL_ERROR", $"File not found: {path}");
        }

        context.Response.ContentType = "application/octet-stream";
        await context.Response.SendFileAsync(file);
        return null;
    }

    private IEnumerable<(string Name, long Size)> Files(string version) =>
        Directory.GetFiles(_versions[version].Folder).Order(StringComparer.Ordinal).Select(f => (Path.GetFileName(f), new FileInfo(f).Length));

    // "1/<run>/artifacts/<rest>" → the version whose run it is.
    private string? VersionOf(string path, out string rest)
    {
        var parts = path.Split('/', 4);
        rest = parts.Length == 4 && parts[2] == "artifacts" ? parts[3] : string.Empty;
        var runId = parts.Length > 1 ? parts[1] : string.Empty;
        return _versions.FirstOrDefault(v => v.Value.RunId == runId).Key;
    }

    private static (int, string) Error(int status, string code, string message) =>
        (status, JsonSerializer.Serialize(new Dictionary<string, string> { ["error_code"] = code, ["message"] = message }));
}
