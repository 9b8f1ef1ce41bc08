using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using MlOps.Tests.Infrastructure;

namespace MlOps.Tests.Serving;

/// <summary>
/// The Open Inference Protocol (KServe V2) REST API, driven with bodies shaped as the protocol's own examples
/// (kserve docs/predict-api/v2/required_api.md, "Inference Request Examples"), with this model's inputs.
/// </summary>
[Collection(ServingModelsCollection.Name)]
public sealed class OpenInferenceTests(ServingModelsFixture models)
{
    // The specification's example request, verbatim.
    private const string SpecExample = """
        {
          "id" : "42",
          "inputs" : [
            { "name" : "input0", "shape" : [ 2, 2 ], "datatype" : "UINT32", "data" : [ 1, 2, 3, 4 ] },
            { "name" : "input1", "shape" : [ 3 ], "datatype" : "BOOL", "data" : [ true ] }
          ],
          "outputs" : [ { "name" : "output0" } ]
        }
        """;

    [Fact]
    public async Task Server_MetadataLivenessAndReadiness()
    {
        await using var server = await StartAsync();
        var client = server.Client;

        var metadata = await client.GetFromJsonAsync<JsonElement>(new Uri("/v2", UriKind.Relative)).DefaultTimeout();
        Assert.Equal("mlops-serving", metadata.GetProperty("name").GetString());
        Assert.False(string.IsNullOrEmpty(metadata.GetProperty("version").GetString()));
        Assert.Equal(JsonValueKind.Array, metadata.GetProperty("extensions").ValueKind);
        Assert.True((await client.GetFromJsonAsync<JsonElement>(new Uri("/v2/health/live", UriKind.Relative)).DefaultTimeout()).GetProperty("live").GetBoolean());
        Assert.True((await client.GetFromJsonAsync<JsonElement>(new Uri("/v2/health/ready", UriKind.Relative)).DefaultTimeout()).GetProperty("ready").GetBoolean());
        var ready = await client.GetFromJsonAsync<JsonElement>(new Uri($"/v2/models/{server.Name}/versions/{server.Version}/ready", UriKind.Relative)).DefaultTimeout();
        Assert.True(ready.GetProperty("ready").GetBoolean());
        Assert.Equal(server.Name, ready.GetProperty("name").GetString());
    }

    [Fact]
    public async Task ModelMetadata_NamesEveryInputWithItsDatatype_AndBothOutputs()
    {
        await using var server = await StartAsync();

        foreach (var path in new[] { $"/v2/models/{server.Name}", $"/v2/models/{server.Name}/versions/{server.Version}" })
        {
            var metadata = await server.Client.GetFromJsonAsync<JsonElement>(new Uri(path, UriKind.Relative)).DefaultTimeout();
            Assert.Equal(server.Name, metadata.GetProperty("name").GetString());
            Assert.Equal([server.Version], metadata.GetProperty("versions").EnumerateArray().Select(v => v.GetString()));
            Assert.Equal("onnxruntime_onnx", metadata.GetProperty("platform").GetString());
            var inputs = metadata.GetProperty("inputs").EnumerateArray().ToDictionary(i => i.GetProperty("name").GetString()!, i => i);
            Assert.Equal(models.CardA.Features.Select(f => f.Name).Order(), inputs.Keys.Order());
            foreach (var feature in models.CardA.Features)
            {
                Assert.Equal(feature.Type == "categorical" ? "BYTES" : "FP64", inputs[feature.Name].GetProperty("datatype").GetString());
                Assert.Equal([-1L, 1L], inputs[feature.Name].GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()));
            }

            var outputs = metadata.GetProperty("outputs").EnumerateArray().ToDictionary(o => o.GetProperty("name").GetString()!, o => o.GetProperty("datatype").GetString());
            Assert.Equal("INT64", outputs["label"]);
            Assert.Equal("FP32", outputs["probability"]);
        }
    }

    [Fact]
    public async Task Infer_OneRow_ShapedAsTheSpecExample_AnswersTheRequestedOutputWithTheId()
    {
        await using var server = await StartAsync();
        var data = ServingTestData.Create(models.CardA, 1, seed: 31);
        var expected = data.ExpectedScores(models.ModelA);
        var body = Request(data, "42", nested: false, ["probability"]);

        using var response = await server.Client.PostAsync(new Uri($"/v2/models/{server.Name}/infer", UriKind.Relative), ServingTestData.Raw(body.ToJsonString())).DefaultTimeout();

        var answer = await ReadAsync(response, HttpStatusCode.OK);
        Assert.Equal("42", answer.GetProperty("id").GetString());
        Assert.Equal(server.Name, answer.GetProperty("model_name").GetString());
        Assert.Equal(server.Version, answer.GetProperty("model_version").GetString());
        var output = Assert.Single(answer.GetProperty("outputs").EnumerateArray());
        Assert.Equal("probability", output.GetProperty("name").GetString());
        Assert.Equal("FP32", output.GetProperty("datatype").GetString());
        Assert.Equal(1, output.GetProperty("shape")[0].GetInt64());
        Assert.Equal(expected.Probabilities, output.GetProperty("data").EnumerateArray().Select(v => v.GetSingle()));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Infer_ABatch_FlatOrNested_GivesTheTrainersLabelsAndProbabilities(bool nested)
    {
        await using var server = await StartAsync();
        var data = ServingTestData.Create(models.CardA, 64, seed: 32);
        var expected = data.ExpectedScores(models.ModelA);

        using var response = await server.Client.PostAsync(new Uri($"/v2/models/{server.Name}/versions/{server.Version}/infer", UriKind.Relative),
            ServingTestData.Raw(Request(data, null, nested, null).ToJsonString())).DefaultTimeout();

        var answer = await ReadAsync(response, HttpStatusCode.OK);
        Assert.False(answer.TryGetProperty("id", out _));
        var outputs = answer.GetProperty("outputs").EnumerateArray().ToDictionary(o => o.GetProperty("name").GetString()!, o => o);
        Assert.Equal("INT64", outputs["label"].GetProperty("datatype").GetString());
        Assert.Equal(64, outputs["label"].GetProperty("shape")[0].GetInt64());
        Assert.Equal(expected.Labels, outputs["label"].GetProperty("data").EnumerateArray().Select(v => v.GetInt64()));
        Assert.Equal(expected.Probabilities, outputs["probability"].GetProperty("data").EnumerateArray().Select(v => v.GetSingle()));
    }

    [Fact]
    public async Task Infer_TheSpecExampleVerbatim_Is400WithTheProtocolsErrorObject()
    {
        await using var server = await StartAsync();

        using var response = await server.Client.PostAsync(new Uri($"/v2/models/{server.Name}/infer", UriKind.Relative), ServingTestData.Raw(SpecExample)).DefaultTimeout();

        var error = (await ReadAsync(response, HttpStatusCode.BadRequest)).GetProperty("error").GetString();
        Assert.Contains("input0", error, StringComparison.Ordinal);
        Assert.Contains("output0", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("category as FP32", "datatype")]
    [InlineData("number as BYTES", "datatype")]
    [InlineData("shape and data disagree", "data")]
    [InlineData("rows differ between inputs", "shape")]
    [InlineData("shape of three dimensions", "shape")]
    [InlineData("string in a number tensor", "data[0]")]
    [InlineData("fraction in an INT64 tensor", "data[0]")]
    [InlineData("missing input", "Missing")]
    public async Task Infer_BadTensor_Is400NamingIt(string scenario, string expected)
    {
        await using var server = await StartAsync();
        var data = ServingTestData.Create(models.CardA, 3, seed: 33);
        var body = Request(data, null, nested: false, null);
        var inputs = body["inputs"]!.AsArray();
        JsonObject Input(string name) => inputs.Select(i => i!.AsObject()).First(i => i["name"]!.GetValue<string>() == name);
        var (num, cat) = (Input(data.NumericFeature), Input(data.CategoricalFeature));
        switch (scenario)
        {
            case "category as FP32": cat["datatype"] = "FP32"; break;
            case "number as BYTES": num["datatype"] = "BYTES"; break;
            case "shape and data disagree": num["shape"] = new JsonArray(3); num["data"] = new JsonArray(1.0, 2.0); break;
            case "rows differ between inputs": num["shape"] = new JsonArray(2); num["data"] = new JsonArray(1.0, 2.0); break;
            case "shape of three dimensions": num["shape"] = new JsonArray(3, 1, 1); break;
            case "string in a number tensor": num["data"] = new JsonArray("1.5", 2.0, 3.0); break;
            case "fraction in an INT64 tensor": num["datatype"] = "INT64"; num["data"] = new JsonArray(1.5, 2, 3); break;
            case "missing input": inputs.Remove(num); break;
        }

        using var response = await server.Client.PostAsync(new Uri($"/v2/models/{server.Name}/infer", UriKind.Relative), ServingTestData.Raw(body.ToJsonString())).DefaultTimeout();

        var error = (await ReadAsync(response, HttpStatusCode.BadRequest)).GetProperty("error").GetString()!;
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/v2/models/no-such-model")]
    [InlineData("/v2/models/{name}/versions/999")]
    [InlineData("/v2/models/no-such-model/ready")]
    public async Task UnknownModelOrVersion_Is404WithAnError(string path)
    {
        await using var server = await StartAsync();

        using var response = await server.Client.GetAsync(new Uri(path.Replace("{name}", server.Name, StringComparison.Ordinal), UriKind.Relative)).DefaultTimeout();

        Assert.False(string.IsNullOrEmpty((await ReadAsync(response, HttpStatusCode.NotFound)).GetProperty("error").GetString()));
        using var infer = await server.Client.PostAsync(new Uri("/v2/models/no-such-model/infer", UriKind.Relative), ServingTestData.Raw("{}")).DefaultTimeout();
        Assert.Equal(HttpStatusCode.NotFound, infer.StatusCode);
    }

    // One tensor per input, in the example's shape: name, shape, datatype, data (and the id and outputs when given).
    private static JsonObject Request(ServingTestData data, string? id, bool nested, string[]? outputs)
    {
        var inputs = new JsonArray();
        foreach (var feature in data.Card.Features)
        {
            var categorical = feature.Type == "categorical";
            var values = data.Rows.Select(r => r[feature.Name] is { } v ? JsonValue.Create(v) : null).ToArray();
            inputs.Add(new JsonObject
            {
                ["name"] = feature.Name,
                ["shape"] = nested ? new JsonArray(data.Rows.Count, 1) : new JsonArray(data.Rows.Count),
                ["datatype"] = categorical ? "BYTES" : "FP64",
                ["data"] = nested ? new JsonArray([.. values.Select(v => (JsonNode)new JsonArray(v))]) : new JsonArray(values),
            });
        }

        var request = new JsonObject();
        if (id is not null)
        {
            request["id"] = id;
        }

        request["inputs"] = inputs;
        if (outputs is not null)
        {
            request["outputs"] = new JsonArray([.. outputs.Select(o => (JsonNode)new JsonObject { ["name"] = o })]);
        }

        return request;
    }

    private static async Task<JsonElement> ReadAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync().DefaultTimeout();
        Assert.True(response.StatusCode == expected, $"{(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement;
    }

    private async Task<Server> StartAsync()
    {
        var temp = new TempDirectory();
        var app = new ServingApp(ServingModelsFixture.CopyModel(models.ModelA, temp));
        var client = app.CreateClient();
        var model = (await ServingApp.WaitHealthyAsync(client)).GetProperty("model");
        return new Server(temp, app, client, model.GetProperty("name").GetString()!, model.GetProperty("version").GetString()!);
    }

    private sealed record Server(TempDirectory Temp, ServingApp App, HttpClient Client, string Name, string Version) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            Client.Dispose();
            await App.DisposeAsync();
            Temp.Dispose();
        }
    }
}
