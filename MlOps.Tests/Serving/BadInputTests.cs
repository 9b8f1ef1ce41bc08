using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using MlOps.Tests.Infrastructure;

namespace MlOps.Tests.Serving;

/// <summary>Every kind of bad input is a 400 problem details naming the field (and row); never a 500.</summary>
[Collection(ServingModelsCollection.Name)]
public sealed class BadInputTests(ServingModelsFixture models)
{
    private const int MaxRows = 5;
    private const int MaxBytes = 8192;

    // {num} and {cat} stand for a numeric and a categorical input of the trained model, {last} for its last input.
    [Theory]
    [InlineData("missing field", "/predict", "{num}")]
    [InlineData("unknown field", "/predict", "bogus")]
    [InlineData("string for a number", "/predict", "{num}")]
    [InlineData("number for a category", "/predict", "{cat}")]
    [InlineData("boolean for a number", "/predict", "{num}")]
    [InlineData("object for a number", "/predict", "{num}")]
    [InlineData("array for a category", "/predict", "{cat}")]
    [InlineData("NaN literal", "/predict", "{num}")]
    [InlineData("Infinity literal", "/predict", "{num}")]
    [InlineData("beyond float range", "/predict", "{num}")]
    [InlineData("beyond double range", "/predict", "{num}")]
    [InlineData("duplicate field", "/predict", "{num}")]
    [InlineData("malformed JSON", "/predict", "$")]
    [InlineData("trailing garbage", "/predict", "$")]
    [InlineData("not an object", "/predict", "$")]
    [InlineData("empty body", "/predict", "$")]
    [InlineData("oversized body", "/predict", "$")]
    [InlineData("empty batch", "/predict/batch", "instances")]
    [InlineData("no instances", "/predict/batch", "$")]
    [InlineData("bad value in row 2", "/predict/batch", "instances[2].{num}")]
    [InlineData("missing field in row 1", "/predict/batch", "instances[1].{cat}")]
    [InlineData("too many rows", "/predict/batch", "instances")]
    [InlineData("oversized batch", "/predict/batch", "$")]
    [InlineData("unknown format", "/invocations", "bogus")]
    [InlineData("two formats", "/invocations", "inputs")]
    [InlineData("unknown column", "/invocations", "dataframe_split.columns[0]")]
    [InlineData("short row", "/invocations", "dataframe_split.data[1]")]
    [InlineData("bad split value", "/invocations", "dataframe_split.data[0].{num}")]
    [InlineData("empty records", "/invocations", "dataframe_records")]
    [InlineData("ragged columns", "/invocations", "inputs.{last}")]
    [InlineData("bad column value", "/invocations", "inputs.{num}[1]")]
    public async Task BadInput_IsA400ProblemNamingTheField(string scenario, string path, string expectedKey)
    {
        using var temp = new TempDirectory();
        await using var app = new ServingApp(ServingModelsFixture.CopyModel(models.ModelA, temp), new Dictionary<string, string?>
        {
            ["Serving:MaxBatchRows"] = MaxRows.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Serving:MaxBodyBytes"] = MaxBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        using var client = app.CreateClient();
        await ServingApp.WaitHealthyAsync(client);
        var data = ServingTestData.Create(models.CardA, 3, seed: 9);
        var (num, cat) = (data.NumericFeature, data.CategoricalFeature);

        using var response = await client.PostAsync(new Uri(path, UriKind.Relative), ServingTestData.Raw(Body(scenario, data))).DefaultTimeout();

        var text = await response.Content.ReadAsStringAsync().DefaultTimeout();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{scenario}: {(int)response.StatusCode} {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(text);
        Assert.Equal(400, problem.RootElement.GetProperty("status").GetInt32());
        var key = expectedKey.Replace("{num}", num, StringComparison.Ordinal).Replace("{cat}", cat, StringComparison.Ordinal)
            .Replace("{last}", data.Names.Last(), StringComparison.Ordinal);
        var errors = problem.RootElement.GetProperty("errors");
        Assert.True(errors.TryGetProperty(key, out var messages), $"{scenario}: no error for '{key}' in {text}");
        Assert.NotEmpty(messages.EnumerateArray());
    }

    [Fact]
    public async Task BadInput_InManyRows_NamesEveryBadField()
    {
        using var temp = new TempDirectory();
        await using var app = new ServingApp(ServingModelsFixture.CopyModel(models.ModelA, temp));
        using var client = app.CreateClient();
        await ServingApp.WaitHealthyAsync(client);
        var data = ServingTestData.Create(models.CardA, 4, seed: 10);
        data.Rows[0][data.NumericFeature] = "oops";
        data.Rows[3][data.CategoricalFeature] = 7;
        data.Rows[3]["extra"] = 1;

        using var response = await ServingTestData.PostAsync(client, "/predict/batch", data.Batch()).DefaultTimeout();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await ServingTestData.ReadJsonAsync(response).DefaultTimeout()).GetProperty("errors");
        Assert.Equal(
            new[] { $"instances[0].{data.NumericFeature}", $"instances[3].{data.CategoricalFeature}", "instances[3].extra" }.Order(),
            errors.EnumerateObject().Select(e => e.Name).Order());
    }

    [Fact]
    public async Task BadInput_InACsvBody_NamesTheCellsAndColumns()
    {
        using var temp = new TempDirectory();
        await using var app = new ServingApp(ServingModelsFixture.CopyModel(models.ModelA, temp));
        using var client = app.CreateClient();
        await ServingApp.WaitHealthyAsync(client);
        var data = ServingTestData.Create(models.CardA, 3, seed: 14);
        data.Rows[1][data.NumericFeature] = "not-a-number";
        var csv = data.Csv().Replace($",{data.CategoricalFeature},", ",bogus,", StringComparison.Ordinal)
            .Replace($",{data.CategoricalFeature}\n", ",bogus\n", StringComparison.Ordinal);

        using var response = await client.PostAsync(new Uri("/invocations", UriKind.Relative), ServingTestData.CsvContent(csv)).DefaultTimeout();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await ServingTestData.ReadJsonAsync(response).DefaultTimeout()).GetProperty("errors");
        Assert.True(errors.TryGetProperty($"csv[1].{data.NumericFeature}", out _), errors.ToString());
        Assert.True(errors.TryGetProperty($"csv.columns.{data.CategoricalFeature}", out _), errors.ToString());
        Assert.Contains(errors.EnumerateObject(), e => e.Name.StartsWith("csv.columns[", StringComparison.Ordinal));
    }

    private static string Body(string scenario, ServingTestData data)
    {
        var (num, cat) = (data.NumericFeature, data.CategoricalFeature);
        JsonObject Row(int i) => JsonSerializer.SerializeToNode(data.Rows[i])!.AsObject();
        string With(string field, JsonNode? value)
        {
            var row = Row(0);
            row[field] = value;
            return row.ToJsonString();
        }

        // A valid row with the numeric input's value replaced by raw text (for what JSON writers refuse to write).
        string RawNumber(string text) => With(num, 123456.5).Replace("123456.5", text, StringComparison.Ordinal);
        string Batch(params JsonObject[] rows) => new JsonObject { ["instances"] = new JsonArray(rows) }.ToJsonString();

        return scenario switch
        {
            "missing field" => Without(Row(0), num).ToJsonString(),
            "unknown field" => With("bogus", 1),
            "string for a number" => With(num, "12.5"),
            "number for a category" => With(cat, 3),
            "boolean for a number" => With(num, true),
            "object for a number" => With(num, new JsonObject { ["a"] = 1 }),
            "array for a category" => With(cat, new JsonArray("a")),
            "NaN literal" => RawNumber("NaN"),
            "Infinity literal" => RawNumber("-Infinity"),
            "beyond float range" => RawNumber("3.5e38"),
            "beyond double range" => RawNumber("1e400"),
            "duplicate field" => With(num, 1.5).TrimEnd('}') + $",\"{num}\":2.5}}",
            "malformed JSON" => With(num, 1.5).TrimEnd('}') + ",",
            "trailing garbage" => With(num, 1.5) + " {}",
            "not an object" => "[1, 2, 3]",
            "empty body" => string.Empty,
            "oversized body" => With(cat, new string('x', MaxBytes)),
            "empty batch" => "{\"instances\": []}",
            "no instances" => "{}",
            "bad value in row 2" => Batch(Row(0), Row(1), With2(Row(2), num, "x")),
            "missing field in row 1" => Batch(Row(0), Without(Row(1), cat), Row(2)),
            "too many rows" => Batch([.. Enumerable.Range(0, MaxRows + 1).Select(i => Row(i % 3))]),
            "oversized batch" => Batch(Row(0), With2(Row(1), cat, new string('y', MaxBytes))),
            "unknown format" => $"{{\"bogus\": [{Row(0).ToJsonString()}]}}",
            "two formats" => $"{{\"instances\": [{Row(0).ToJsonString()}], \"inputs\": [{Row(1).ToJsonString()}]}}",
            "unknown column" => Split(["nope", .. data.Names.Skip(1)], data.Rows.Select(r => data.Names.Select(n => r[n]).ToArray()).ToArray()),
            "short row" => Split([.. data.Names], [[.. data.Names.Select(n => data.Rows[0][n])], [.. data.Names.Skip(1).Select(n => data.Rows[1][n])]]),
            "bad split value" => Split([.. data.Names], [[.. data.Names.Select(n => n == num ? "text" : data.Rows[0][n])]]),
            "empty records" => "{\"dataframe_records\": []}",
            "ragged columns" => JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["inputs"] = data.Names.ToDictionary(n => n, n => n == data.Names.Last() ? data.Rows.Take(2).Select(r => r[n]).ToArray() : data.Rows.Select(r => r[n]).ToArray()),
            }),
            "bad column value" => JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["inputs"] = data.Names.ToDictionary(n => n, n => data.Rows.Select((r, i) => n == num && i == 1 ? false : r[n]).ToArray()),
            }),
            _ => throw new ArgumentOutOfRangeException(nameof(scenario), scenario, null),
        };
    }

    private static JsonObject Without(JsonObject row, string field)
    {
        row.Remove(field);
        return row;
    }

    private static JsonObject With2(JsonObject row, string field, JsonNode? value)
    {
        row[field] = value;
        return row;
    }

    private static string Split(string[] columns, object?[][] rows) =>
        JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["dataframe_split"] = new Dictionary<string, object> { ["columns"] = columns, ["data"] = rows, ["index"] = Enumerable.Range(0, rows.Length).ToArray() },
        });
}
