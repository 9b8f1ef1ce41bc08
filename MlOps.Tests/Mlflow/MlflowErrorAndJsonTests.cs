using System.Net;
using System.Text;
using System.Text.Json;
using MlOps.Mlflow;

namespace MlOps.Tests.Mlflow;

public sealed class MlflowErrorAndJsonTests
{
    public static TheoryData<string, int> ErrorCaptures()
    {
        var data = new TheoryData<string, int>();
        foreach (var line in File.ReadAllLines(FakeMlflowServer.CaptureFile("_calls.tsv")).Skip(1))
        {
            var fields = line.Split('\t');
            if (fields[0].StartsWith("error_", StringComparison.Ordinal))
            {
                data.Add(fields[0], int.Parse(fields[3]));
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ErrorCaptures))]
    public async Task FromResponse_EveryCapturedError_KeepsCodeStatusAndMessage(string capture, int status)
    {
        var body = FakeMlflowServer.ReadCapture(capture + ".json");
        using var expected = JsonDocument.Parse(body);
        using var response = new HttpResponseMessage((HttpStatusCode)status) { Content = new StringContent(body, Encoding.UTF8, "application/json") };

        var error = await MlflowException.FromResponseAsync(response, "op", CancellationToken.None);

        Assert.Equal(expected.RootElement.GetProperty("error_code").GetString(), error.ErrorCode);
        Assert.Equal((HttpStatusCode)status, error.HttpStatus);
        Assert.Contains(expected.RootElement.GetProperty("message").GetString()![..20], error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(502, "<html>Bad gateway</html>", KnownMlflowErrorCodes.InternalError)]
    [InlineData(404, "Not Found", KnownMlflowErrorCodes.EndpointNotFound)]
    [InlineData(401, "", KnownMlflowErrorCodes.Unauthenticated)]
    [InlineData(503, "{\"detail\": \"busy\"}", KnownMlflowErrorCodes.TemporarilyUnavailable)]
    public async Task FromResponse_NonMlflowBody_MapsStatusAndQuotesBody(int status, string body, string code)
    {
        using var response = new HttpResponseMessage((HttpStatusCode)status) { Content = new StringContent(body) };

        var error = await MlflowException.FromResponseAsync(response, "runs/get", CancellationToken.None);

        Assert.Equal(code, error.ErrorCode);
        Assert.Equal((HttpStatusCode)status, error.HttpStatus);
        Assert.Contains(body, error.Message, StringComparison.Ordinal);
        Assert.Contains("runs/get", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MetricJson_NamedFloats_ReadFromStringsAndWrittenAsStrings()
    {
        var metrics = JsonSerializer.Deserialize<List<Metric>>(
            """[{"key": "a", "value": "NaN", "timestamp": 1}, {"key": "b", "value": "Infinity", "timestamp": "2", "step": "3"}, {"key": "c", "value": "-Infinity", "timestamp": 1}]""",
            MlflowJson.Options)!;

        Assert.True(double.IsNaN(metrics[0].Value));
        Assert.Equal(0, metrics[0].Step);
        Assert.Equal((double.PositiveInfinity, 2L, 3L), (metrics[1].Value, metrics[1].Timestamp, metrics[1].Step));
        Assert.Equal(double.NegativeInfinity, metrics[2].Value);
        Assert.Contains("\"value\":\"NaN\"", JsonSerializer.Serialize(new Metric("a", double.NaN, 1), MlflowJson.Options), StringComparison.Ordinal);
    }

    [Fact]
    public void EntityJson_OmittedFields_Defaults()
    {
        var run = JsonSerializer.Deserialize<Run>("""{"info": {"run_id": "r"}, "data": {"tags": [{"key": "k"}]}}""", MlflowJson.Options)!;
        var version = JsonSerializer.Deserialize<ModelVersion>("{}", MlflowJson.Options)!;

        Assert.Equal("r", run.Info.RunId);
        Assert.Null(run.Info.EndTime);
        Assert.Empty(run.Data.Metrics);
        Assert.Equal(new RunTag("k", ""), Assert.Single(run.Data.Tags));
        Assert.Empty(run.Inputs.DatasetInputs);
        Assert.Empty(version.Tags);
        Assert.Empty(version.Aliases);
        Assert.Equal(string.Empty, version.Version);
    }

    [Fact]
    public void LogBatchChunks_LargeBatch_RespectsEveryLimitAndKeepsOrder()
    {
        var metrics = Enumerable.Range(0, 2500).Select(i => new Metric("m", i, i, i)).ToList();
        var parameters = Enumerable.Range(0, 250).Select(i => new Param($"p{i}", "v")).ToList();
        var tags = Enumerable.Range(0, 150).Select(i => new RunTag($"t{i}", "v")).ToList();

        var chunks = MlflowClient.LogBatchChunks("run", metrics, parameters, tags).ToList();

        Assert.All(chunks, c =>
        {
            var (m, p, t) = (c.Metrics?.Count ?? 0, c.Params?.Count ?? 0, c.Tags?.Count ?? 0);
            Assert.InRange(m, 0, MlflowClient.MaxMetricsPerBatch);
            Assert.InRange(p, 0, MlflowClient.MaxParamsPerBatch);
            Assert.InRange(t, 0, MlflowClient.MaxTagsPerBatch);
            Assert.InRange(m + p + t, 1, MlflowClient.MaxEntitiesPerBatch);
        });
        Assert.Equal(metrics, chunks.SelectMany(c => c.Metrics ?? []));
        Assert.Equal(parameters, chunks.SelectMany(c => c.Params ?? []));
        Assert.Equal(tags, chunks.SelectMany(c => c.Tags ?? []));
    }
}
