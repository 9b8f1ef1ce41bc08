using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using MlOps.Tests.Infrastructure;

namespace MlOps.Tests.Mlflow;

/// <summary>
/// A fake MLflow tracking server on 127.0.0.1 (real Kestrel, real HTTP) that replays the answers a real MLflow 2.19
/// server gave, from the captures in Fixtures/mlflow-reference. It is a fake because the real MLflow server is a
/// boundary this machine cannot run (a Python service); the captures are that server's real answers, so a client
/// that reads them reads MLflow. A request is answered only when it matches a captured one: same method, path and
/// query, and for bodies the same JSON (field names and values), which also proves the client sends MLflow's shape.
/// Artifact file bodies (which the captures hold only partly) come from <see cref="Artifacts"/>, which uploads fill.
/// Three derived answers follow the captures' documented shapes where no call was captured verbatim: <c>runs/get</c>
/// of the run behind the <c>runs:/</c> source captures (the captured run's answer with that run's id, so its
/// <c>artifact_uri</c> is <c>mlflow-artifacts:/1/&lt;run&gt;/artifacts</c> as the README says), <c>model-versions/get</c>
/// of that version (the by-alias capture's version, as get lists aliases too), and listings of folders the captures
/// did not list, built in the captured listing's shape from <see cref="Artifacts"/>.
/// </summary>
public sealed class FakeMlflowServer : IAsyncDisposable
{
    private const string ArtifactFilePrefix = "/api/2.0/mlflow-artifacts/artifacts/";
    private readonly WebApplication _app;
    private readonly List<Capture> _captures;

    private FakeMlflowServer(WebApplication app, List<Capture> captures, Uri baseAddress)
    {
        _app = app;
        _captures = captures;
        BaseAddress = baseAddress;
        Artifacts[$"{RunArtifactRoot}/model/MLmodel"] = File.ReadAllBytes(CaptureFile("artifact_download_MLmodel.txt"));
        Artifacts[$"{RunArtifactRoot}/notes.txt"] = File.ReadAllBytes(CaptureFile("get_artifact_notes.txt"));
    }

    /// <summary>The run's artifact root in the captures, under the proxied API.</summary>
    public const string RunArtifactRoot = "1/62dbcb19f8464547944d4f58f183219b/artifacts";

    /// <summary>The model registered from a <c>runs:/</c> source in the <c>*_runs_source</c> captures.</summary>
    public const string RunsSourceModel = "cap-model";

    /// <summary>The run behind <see cref="RunsSourceModel"/>'s source, <c>runs:/&lt;id&gt;/model</c>.</summary>
    public const string RunsSourceRunId = "3cbf9db088154b5b8a30166dfcc2d7fb";

    /// <summary>That run's artifact root under the proxied API, as its derived <c>runs/get</c> answer says.</summary>
    public const string RunsSourceArtifactRoot = "1/" + RunsSourceRunId + "/artifacts";

    private const string CapturedRunId = "62dbcb19f8464547944d4f58f183219b";

    // The runs:/ source captures are not in _calls.tsv: their calls, as the README describes them.
    private static readonly (string Name, string Method, string Target)[] s_runsSourceCalls =
    [
        ("model_versions_create_runs_source", "POST", "/api/2.0/mlflow/model-versions/create"),
        ("model_versions_get_download_uri_runs_source", "GET", $"/api/2.0/mlflow/model-versions/get-download-uri?name={RunsSourceModel}&version=1"),
        ("registered_models_get_alias_runs_source", "GET", $"/api/2.0/mlflow/registered-models/alias?name={RunsSourceModel}&alias=production"),
    ];

    public static string CaptureDirectory => Path.Combine(AppContext.BaseDirectory, "Fixtures", "mlflow-reference");

    public Uri BaseAddress { get; }

    /// <summary>Every request received, in order.</summary>
    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    /// <summary>Requests no capture matched, with the reason.</summary>
    public ConcurrentQueue<string> Unmatched { get; } = new();

    /// <summary>The names of the captures that were replayed.</summary>
    public ConcurrentQueue<string> Replayed { get; } = new();

    /// <summary>Proxied artifact files by path under the artifact root (e.g. <c>1/&lt;run&gt;/artifacts/model/MLmodel</c>).</summary>
    public ConcurrentDictionary<string, byte[]> Artifacts { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Answers for requests the captures do not hold (by method and path with query), for a test to add in MLflow's
    /// shape, e.g. the download URI of a second version.
    /// </summary>
    public ConcurrentDictionary<string, string> ExtraAnswers { get; } = new(StringComparer.Ordinal);

    public static string CaptureFile(string name) => Path.Combine(CaptureDirectory, name);

    public static string ReadCapture(string name) => File.ReadAllText(CaptureFile(name));

    public static async Task<FakeMlflowServer> StartAsync()
    {
        FakeMlflowServer? server = null;
        var (app, address) = await LoopbackServer.StartAsync(context => server!.HandleAsync(context));
        server = new FakeMlflowServer(app, LoadCaptures(), address);
        return server;
    }

    public HttpClient CreateHttpClient() => new() { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().WaitAsync(TimeSpan.FromSeconds(30));
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var bodyBytes = new MemoryStream();
        await request.Body.CopyToAsync(bodyBytes);
        var body = Encoding.UTF8.GetString(bodyBytes.ToArray());
        var path = request.Path.Value ?? "/";
        Requests.Enqueue(new RecordedRequest(request.Method, path + request.QueryString, body,
            request.Headers.Authorization.ToString(), request.ContentType));

        if (path.StartsWith(ArtifactFilePrefix, StringComparison.Ordinal))
        {
            var artifact = Uri.UnescapeDataString(path[ArtifactFilePrefix.Length..]);
            if (request.Method == HttpMethods.Put)
            {
                Artifacts[artifact] = bodyBytes.ToArray();
            }
            else if (request.Method == HttpMethods.Get && Artifacts.TryGetValue(artifact, out var content))
            {
                context.Response.ContentType = "application/octet-stream";
                await context.Response.Body.WriteAsync(content);
                return;
            }
            else if (request.Method == HttpMethods.Get)
            {
                await ReplayAsync(context, _captures.Single(c => c.Name == "error_artifact_download_missing"));
                return;
            }
        }

        if (ExtraAnswers.TryGetValue($"{request.Method} {path}{request.QueryString}", out var extra)
            || TryDerivedAnswer(request.Method, path, request.Query, out extra))
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(extra);
            return;
        }

        var match = Match(request.Method, path, request.QueryString.Value ?? string.Empty, body, out var reason);
        if (match is null)
        {
            Unmatched.Enqueue($"{request.Method} {path}{request.QueryString} {body}: {reason}");
            context.Response.StatusCode = StatusCodes.Status418ImATeapot;
            await context.Response.WriteAsync($"{{\"error_code\": \"FAKE_NO_CAPTURE\", \"message\": \"{reason}\"}}");
            return;
        }

        await ReplayAsync(context, match);
    }

    // Answers in the captured shapes for calls the captures document but did not record verbatim (see the summary).
    private bool TryDerivedAnswer(string method, string path, IQueryCollection query, out string answer)
    {
        answer = string.Empty;
        if (method != HttpMethods.Get)
        {
            return false;
        }

        if (path == "/api/2.0/mlflow/runs/get" && query["run_id"] == RunsSourceRunId)
        {
            answer = ReadCapture("runs_get.json").Replace(CapturedRunId, RunsSourceRunId, StringComparison.Ordinal);
            return true;
        }

        if (path == "/api/2.0/mlflow/model-versions/get" && query["name"] == RunsSourceModel && query["version"] == "1")
        {
            answer = ReadCapture("registered_models_get_alias_runs_source.json");
            return true;
        }

        if (path == ArtifactFilePrefix.TrimEnd('/') && query["path"].ToString() is { Length: > 0 } folder
            && !_captures.Any(c => c.Path == path && SameQuery(c.Query, "?path=" + Uri.EscapeDataString(folder))))
        {
            return TryListing(folder, out answer);
        }

        return false;
    }

    // A proxied listing in the captured shape: names relative to the folder, folders with is_dir and no size.
    private bool TryListing(string folder, out string answer)
    {
        var prefix = folder.TrimEnd('/') + "/";
        var entries = Artifacts.Where(a => a.Key.StartsWith(prefix, StringComparison.Ordinal))
            .Select(a => (Tail: a.Key[prefix.Length..], Size: a.Value.LongLength))
            .GroupBy(e => e.Tail.Split('/')[0], StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => g.Any(e => e.Tail.Contains('/', StringComparison.Ordinal))
                ? new JsonObject { ["path"] = g.Key, ["is_dir"] = true }
                : new JsonObject { ["path"] = g.Key, ["is_dir"] = false, ["file_size"] = g.First().Size })
            .ToArray();
        answer = entries.Length == 0 ? "{}" : new JsonObject { ["files"] = new JsonArray(entries) }.ToJsonString();
        return entries.Length > 0;
    }

    private async Task ReplayAsync(HttpContext context, Capture capture)
    {
        Replayed.Enqueue(capture.Name);
        context.Response.StatusCode = capture.Status;
        context.Response.ContentType = capture.ContentType;
        await context.Response.SendFileAsync(capture.ResponseFile);
    }

    private Capture? Match(string method, string path, string query, string body, out string reason)
    {
        var candidates = _captures.Where(c => c.Method == method && c.Path == path && SameQuery(c.Query, query)).ToList();
        if (candidates.Count == 0)
        {
            reason = "no capture has this method, path and query";
            return null;
        }

        if (method == HttpMethods.Get || method == HttpMethods.Put)
        {
            reason = string.Empty;
            return candidates[0];
        }

        var sent = JsonNode.Parse(body.Length == 0 ? "{}" : body);
        var match = candidates.FirstOrDefault(c => c.Request is not null && JsonNode.DeepEquals(sent, c.Request));
        reason = match is null ? $"the body matches none of {string.Join(", ", candidates.Select(c => c.Name))}" : string.Empty;
        return match;
    }

    private static bool SameQuery(string a, string b)
    {
        static string Canonical(string query) => string.Join('&', QueryHelpers.ParseQuery(query)
            .SelectMany(p => p.Value.Select(v => p.Key + "=" + v)).Order(StringComparer.Ordinal));
        return Canonical(a) == Canonical(b);
    }

    private static List<Capture> LoadCaptures()
    {
        var captures = new List<Capture>();
        var runsSource = s_runsSourceCalls.Select(c => $"{c.Name}\t{c.Method}\t{c.Target}\t200\tapplication/json");
        foreach (var line in File.ReadAllLines(CaptureFile("_calls.tsv")).Skip(1).Concat(runsSource))
        {
            var fields = line.Split('\t');
            if (fields.Length < 5)
            {
                continue;
            }

            var (name, method, target, status, contentType) = (fields[0], fields[1], fields[2], int.Parse(fields[3]), fields[4]);
            var response = new[] { ".json", ".txt" }.Select(ext => CaptureFile(name + ext)).FirstOrDefault(File.Exists);
            if (response is null)
            {
                continue;
            }

            var requestFile = CaptureFile(name + ".request.json");
            var requestJson = File.Exists(requestFile) ? JsonNode.Parse(File.ReadAllText(requestFile)) : null;
            var queryStart = target.IndexOf('?', StringComparison.Ordinal);
            var path = queryStart < 0 ? target : target[..queryStart];
            var query = queryStart < 0 ? string.Empty : target[queryStart..];
            captures.Add(new Capture(name, method, path, query, status, contentType, response, requestJson));
        }

        return captures;
    }

    public sealed record RecordedRequest(string Method, string PathAndQuery, string Body, string Authorization, string? ContentType);

    private sealed record Capture(
        string Name, string Method, string Path, string Query, int Status, string ContentType, string ResponseFile, JsonNode? Request);
}
