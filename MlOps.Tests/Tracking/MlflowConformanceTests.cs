using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using MlOps.Tests.Infrastructure;

namespace MlOps.Tests.Tracking;

/// <summary>
/// Replays the calls captured from a real MLflow server (Fixtures/mlflow-reference/_calls.tsv), in order, against
/// MlOps.Tracking, and compares each answer's structure with the captured one: status, error_code, field names
/// (recursively) and JSON value kinds. Values are not compared: ids, names and times differ by run.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class MlflowConformanceTests(PostgresFixture postgres)
{
    private const string CapturedRunId = "62dbcb19f8464547944d4f58f183219b";
    private const string CapturedSuffix = "1795488651-18035";
    private static readonly string s_reference = Path.Combine(AppContext.BaseDirectory, "Fixtures", "mlflow-reference");

    [Fact]
    public async Task ReferenceCalls_ReplayedInOrder_AnswerWithTheCapturedStructure()
    {
        await using var server = await TrackingServer.StartAsync(postgres);
        var ids = new Substitutions(Guid.NewGuid().ToString("N")[..10]);
        var failures = new List<string>();
        var calls = File.ReadAllLines(Path.Combine(s_reference, "_calls.tsv")).Skip(1).Where(l => l.Length > 0).Select(l => l.Split('\t')).ToList();
        Assert.True(calls.Count >= 40, "the reference call list looks truncated");

        foreach (var (name, method, capturedPath, status) in calls.Select(c => (c[0], c[1], c[2], int.Parse(c[3], System.Globalization.CultureInfo.InvariantCulture))))
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(ids.Apply(capturedPath), UriKind.Relative))
            {
                Content = Body(name, method, capturedPath, ids),
            };
            using var response = await server.Client.SendAsync(request).DefaultTimeout();
            var text = await response.Content.ReadAsStringAsync().DefaultTimeout();
            if ((int)response.StatusCode != status)
            {
                failures.Add($"{name}: status {(int)response.StatusCode}, captured {status}: {text}");
                continue;
            }

            var expectedJson = Path.Combine(s_reference, name + ".json");
            var expectedText = Path.Combine(s_reference, name + ".txt");
            if (File.Exists(expectedJson))
            {
                using var expected = JsonDocument.Parse(File.ReadAllText(expectedJson));
                using var actual = JsonDocument.Parse(text);
                JsonShape.Compare(expected.RootElement, actual.RootElement, name, failures);
            }
            else if (File.Exists(expectedText) && name.StartsWith("artifact_download", StringComparison.Ordinal))
            {
                Assert.Equal(File.ReadAllText(expectedText), text);
            }

            if (name == "experiments_create")
            {
                ids.ExperimentId = JsonDocument.Parse(text).RootElement.GetProperty("experiment_id").GetString()!;
            }
            else if (name == "runs_create")
            {
                ids.RunId = JsonDocument.Parse(text).RootElement.GetProperty("run").GetProperty("info").GetProperty("run_id").GetString()!;
            }
        }

        await ReplayRunsSourceAsync(server, ids.RunId, failures);
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    /// <summary>
    /// The <c>*_runs_source</c> captures (not in _calls.tsv): a version registered from <c>runs:/&lt;run&gt;/model</c>
    /// keeps that source in create, get-download-uri (unchanged, not resolved) and get by alias.
    /// </summary>
    private static async Task ReplayRunsSourceAsync(TrackingServer server, string runId, List<string> failures)
    {
        const string CapturedRun = "3cbf9db088154b5b8a30166dfcc2d7fb";
        var model = $"cap-model-{Guid.NewGuid():N}"[..20];
        string Apply(string text) => text.Replace(CapturedRun, runId, StringComparison.Ordinal).Replace("cap-model", model, StringComparison.Ordinal);
        await server.PostOkAsync("/api/2.0/mlflow/registered-models/create", new { name = model });
        var calls = new (string Name, HttpMethod Method, string Path)[]
        {
            ("model_versions_create_runs_source", HttpMethod.Post, "/api/2.0/mlflow/model-versions/create"),
            ("registered_models_set_alias", HttpMethod.Post, "/api/2.0/mlflow/registered-models/alias"),
            ("model_versions_get_download_uri_runs_source", HttpMethod.Get, $"/api/2.0/mlflow/model-versions/get-download-uri?name={model}&version=1"),
            ("registered_models_get_alias_runs_source", HttpMethod.Get, $"/api/2.0/mlflow/registered-models/alias?name={model}&alias=production"),
        };
        foreach (var (name, method, path) in calls)
        {
            using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
            if (name == "registered_models_set_alias")
            {
                request.Content = new StringContent($$"""{"name": "{{model}}", "alias": "production", "version": "1"}""", Encoding.UTF8, new MediaTypeHeaderValue("application/json"));
            }
            else if (method == HttpMethod.Post)
            {
                request.Content = new StringContent(Apply(File.ReadAllText(Path.Combine(s_reference, name + ".request.json"))), Encoding.UTF8, new MediaTypeHeaderValue("application/json"));
            }

            using var response = await server.Client.SendAsync(request).DefaultTimeout();
            var text = await response.Content.ReadAsStringAsync().DefaultTimeout();
            if ((int)response.StatusCode != 200)
            {
                failures.Add($"{name}: status {(int)response.StatusCode}: {text}");
                continue;
            }

            if (name == "registered_models_set_alias")
            {
                continue;
            }

            using var expected = JsonDocument.Parse(Apply(File.ReadAllText(Path.Combine(s_reference, name + ".json"))));
            using var actual = JsonDocument.Parse(text);
            JsonShape.Compare(expected.RootElement, actual.RootElement, name, failures);
            var source = actual.RootElement.TryGetProperty("artifact_uri", out var uri) ? uri : actual.RootElement.GetProperty("model_version").GetProperty("source");
            if (source.GetString() != $"runs:/{runId}/model")
            {
                failures.Add($"{name}: source '{source.GetString()}', captured runs:/<run>/model kept as given");
            }
        }
    }

    private static HttpContent? Body(string name, string method, string capturedPath, Substitutions ids)
    {
        var requestFile = Path.Combine(s_reference, name + ".request.json");
        if (File.Exists(requestFile))
        {
            return new StringContent(ids.Apply(File.ReadAllText(requestFile)), Encoding.UTF8, new MediaTypeHeaderValue("application/json"));
        }

        if (method != "PUT")
        {
            return null;
        }

        // Uploads were captured without their bodies: send the bytes the capture later downloads or lists.
        var content = Path.GetFileName(capturedPath) switch
        {
            "MLmodel" => File.ReadAllBytes(Path.Combine(s_reference, "artifact_download_MLmodel.txt")),
            "notes.txt" => File.ReadAllBytes(Path.Combine(s_reference, "get_artifact_notes.txt")),
            _ => new byte[2048],
        };
        return new ByteArrayContent(content);
    }

    /// <summary>Maps the ids and names of the captured run onto the ones this run created.</summary>
    private sealed class Substitutions(string suffix)
    {
        public string ExperimentId { get; set; } = "1";

        public string RunId { get; set; } = CapturedRunId;

        public string Apply(string text)
        {
            text = text.Replace(CapturedSuffix, suffix, StringComparison.Ordinal).Replace(CapturedRunId, RunId, StringComparison.Ordinal);
            string[] patterns =
            [
                @"(experiment_id=)1(?!\d)", @"(artifacts/)1(/)", @"(path=)1(%2F)", @"(""experiment_id"":\s*"")1("")",
                @"(""experiment_ids"":\s*\[\s*"")1("")", @"(mlflow-artifacts:/)1(/)",
            ];
            foreach (var pattern in patterns)
            {
                text = Regex.Replace(text, pattern, m => m.Groups[1].Value + ExperimentId + (m.Groups.Count > 2 ? m.Groups[2].Value : ""));
            }

            return text;
        }
    }
}
