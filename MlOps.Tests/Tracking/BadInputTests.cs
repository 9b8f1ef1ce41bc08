using System.Text.Json.Nodes;
using MlOps.Tests.Infrastructure;

namespace MlOps.Tests.Tracking;

/// <summary>Inputs found to cause 500s (some naming server paths): each must be a 400 INVALID_PARAMETER_VALUE.</summary>
[Collection(PostgresCollection.Name)]
public sealed class BadInputTests(PostgresFixture postgres)
{
    private static readonly string s_long = new('x', 10_000);

    public static TheoryData<string, string> BadBodies() => new()
    {
        { "/api/2.0/mlflow/runs/log-batch", """{"run_id": "RUN", "metrics": [null]}""" },
        { "/api/2.0/mlflow/runs/log-batch", """{"run_id": "RUN", "params": [null], "tags": [null]}""" },
        { "/api/2.0/mlflow/runs/log-inputs", """{"run_id": "RUN", "datasets": [null]}""" },
        { "/api/2.0/mlflow/runs/create", """{"experiment_id": "0", "tags": [null]}""" },
        { "/api/2.0/mlflow/runs/search", """{"experiment_ids": ["0"], "order_by": [null]}""" },
        { "/api/2.0/mlflow/experiments/create", $$"""{"name": "{{s_long}}"}""" },
        { "/api/2.0/mlflow/experiments/create", $$"""{"name": "e", "tags": [{"key": "{{s_long}}", "value": "v"}]}""" },
        { "/api/2.0/mlflow/experiments/set-experiment-tag", $$"""{"experiment_id": "0", "key": "{{s_long}}", "value": "v"}""" },
        { "/api/2.0/mlflow/runs/set-tag", $$"""{"run_id": "RUN", "key": "{{s_long}}", "value": "v"}""" },
        { "/api/2.0/mlflow/runs/create", $$"""{"experiment_id": "0", "run_name": "{{s_long}}"}""" },
        { "/api/2.0/mlflow/registered-models/create", $$"""{"name": "{{s_long}}"}""" },
        { "/api/2.0/mlflow/registered-models/create", $$"""{"name": "m2", "tags": [{"key": "{{s_long}}", "value": "v"}]}""" },
        { "/api/2.0/mlflow/registered-models/alias", $$"""{"name": "m", "alias": "{{s_long}}", "version": "1"}""" },
        { "/api/2.0/mlflow/model-versions/create", $$"""{"name": "m", "source": "mlflow-artifacts:/0/{{s_long}}"}""" },
        { "/api/2.0/mlflow/model-versions/create", """{"name": "m", "source": "/etc/passwd"}""" },
        { "/api/2.0/mlflow/model-versions/create", """{"name": "m", "source": "file:///etc"}""" },
        { "/api/2.0/mlflow/model-versions/create", """{"name": "m", "source": "mlflow-artifacts:/0/r/artifacts/../../../etc"}""" },
        { "/api/2.0/mlflow/model-versions/set-tag", $$"""{"name": "m", "version": "1", "key": "{{s_long}}", "value": "v"}""" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task BadInput_Is400InvalidParameterValue_WithoutServerPaths(string path, string body)
    {
        await using var server = await TrackingServer.StartAsync(postgres);
        var runId = await server.CreateRunAsync(await server.CreateExperimentAsync());
        await server.PostOkAsync("/api/2.0/mlflow/registered-models/create", new { name = "m" });
        await server.PostOkAsync("/api/2.0/mlflow/model-versions/create", new { name = "m", source = $"runs:/{runId}/model", run_id = runId });

        var (status, answer) = await server.PostAsync(path, body.Replace("RUN", runId, StringComparison.Ordinal));

        Assert.True(status == 400, $"{path} answered {status}: {answer?.ToJsonString()[..Math.Min(300, answer.ToJsonString().Length)]}");
        Assert.Equal("INVALID_PARAMETER_VALUE", answer!["error_code"]!.GetValue<string>());
        AssertNoServerPaths(server, answer);
    }

    [Fact]
    public async Task ArtifactPut_UnderAFile_WithTrailingSlash_OrTooLong_Is400WithoutServerPaths()
    {
        await using var server = await TrackingServer.StartAsync(postgres);
        await PutAsync(server, "0/r1/artifacts/model.onnx", expected: 200);

        foreach (var path in new[] { "0/r1/artifacts/model.onnx/inner.bin", "0/r1/artifacts/folder/", new string('a', 5000), $"0/{new string('b', 300)}/x" })
        {
            var answer = await PutAsync(server, path, expected: 400);
            Assert.Equal("INVALID_PARAMETER_VALUE", answer["error_code"]!.GetValue<string>());
            AssertNoServerPaths(server, answer);
        }

        Assert.Single(Directory.EnumerateFiles(server.ArtifactsRoot, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Search_MoreClausesThanTheBound_Is400_AtTheBoundAnswers()
    {
        await using var server = await TrackingServer.StartAsync(postgres);
        var experimentId = await server.CreateExperimentAsync();
        string Filter(int clauses) => string.Join(" and ", Enumerable.Range(0, clauses).Select(i => $"metrics.m{i} > {i}"));

        var atBound = await server.PostAsync("/api/2.0/mlflow/runs/search", new { experiment_ids = new[] { experimentId }, filter = Filter(50) });
        var over = await server.PostAsync("/api/2.0/mlflow/runs/search", new { experiment_ids = new[] { experimentId }, filter = Filter(51) });
        var huge = await server.PostAsync("/api/2.0/mlflow/runs/search", new { experiment_ids = new[] { experimentId }, filter = Filter(40_000) });

        Assert.Equal(200, atBound.Status);
        Assert.Equal((400, "INVALID_PARAMETER_VALUE"), (over.Status, over.Body!["error_code"]!.GetValue<string>()));
        Assert.Equal((400, "INVALID_PARAMETER_VALUE"), (huge.Status, huge.Body!["error_code"]!.GetValue<string>()));
    }

    private static async Task<JsonNode> PutAsync(TrackingServer server, string path, int expected)
    {
        using var content = new ByteArrayContent("x"u8.ToArray());
        using var response = await server.Client.PutAsync(new Uri($"/api/2.0/mlflow-artifacts/artifacts/{path}", UriKind.Relative), content).DefaultTimeout();
        var text = await response.Content.ReadAsStringAsync().DefaultTimeout();
        Assert.True((int)response.StatusCode == expected, $"PUT {path[..Math.Min(path.Length, 80)]} answered {(int)response.StatusCode}: {text[..Math.Min(text.Length, 300)]}");
        return JsonNode.Parse(text)!;
    }

    private static void AssertNoServerPaths(TrackingServer server, JsonNode answer)
    {
        var message = answer["message"]!.GetValue<string>();
        Assert.DoesNotContain(server.ArtifactsParent, message, StringComparison.Ordinal);
        Assert.DoesNotContain(Path.GetTempPath(), message, StringComparison.Ordinal);
        Assert.True(message.Length < 2000, $"a {message.Length}-character message");
    }
}
