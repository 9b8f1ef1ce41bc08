using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using MlOps.Trainer.Model;
using MlOps.Trainer.Onnx;

namespace MlOps.Tests.Serving;

/// <summary>
/// Rows for a model's own inputs (from its card: any model the trainer produces), as the JSON bodies of every
/// endpoint and format, and the trainer's own ONNX scoring of the same rows to compare against.
/// </summary>
public sealed class ServingTestData
{
    public const string UnseenCategory = "never-seen-in-training";

    private ServingTestData(ModelCard card, List<Dictionary<string, object?>> rows)
    {
        Card = card;
        Rows = rows;
    }

    public ModelCard Card { get; }

    public IReadOnlyList<Dictionary<string, object?>> Rows { get; }

    public IEnumerable<string> Names => Card.Features.Select(f => f.Name);

    public string NumericFeature => Card.Features.First(f => f.Type == "numeric").Name;

    public string CategoricalFeature => Card.Features.First(f => f.Type == "categorical").Name;

    /// <summary>Given rows (a field per model input, null for missing).</summary>
    public static ServingTestData FromRows(ModelCard card, IEnumerable<Dictionary<string, object?>> rows) => new(card, [.. rows]);

    /// <summary>Random rows with a tenth of the values missing (null) and a tenth of the categories unseen.</summary>
    public static ServingTestData Create(ModelCard card, int rows, int seed)
    {
        var random = new Random(seed);
        var list = new List<Dictionary<string, object?>>(rows);
        for (var r = 0; r < rows; r++)
        {
            var row = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (var feature in card.Features)
            {
                var draw = random.NextDouble();
                row[feature.Name] = draw < 0.1 ? null
                    : feature.Type == "categorical"
                        ? draw < 0.2 || feature.Categories is not { Count: > 0 } ? UnseenCategory : feature.Categories[random.Next(feature.Categories.Count)]
                        : Math.Round(random.NextDouble() * random.Next(1, 5000) - 50, 2);
            }

            list.Add(row);
        }

        return new ServingTestData(card, list);
    }

    /// <summary>The probabilities (and labels) the trainer's own ONNX scoring gives for these rows.</summary>
    public (long[] Labels, float[] Probabilities) ExpectedScores(string modelDirectory)
    {
        var numeric = new Dictionary<string, double[]>(StringComparer.Ordinal);
        var categorical = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var feature in Card.Features)
        {
            if (feature.Type == "categorical")
            {
                categorical[feature.Name] = [.. Rows.Select(r => (string?)r[feature.Name] ?? string.Empty)];
            }
            else
            {
                numeric[feature.Name] = [.. Rows.Select(r => r[feature.Name] is double d ? d : double.NaN)];
            }
        }

        var features = Card.Features.Select(f => new OnnxFeature(f.Name, f.Type == "categorical", f.Categories ?? [])).ToArray();
        using var scorer = OnnxScorer.FromFile(Path.Combine(modelDirectory, "model.onnx"), features);
        var scores = scorer.Score(numeric, categorical, Rows.Count);
        return (scores.Labels, scores.Probabilities);
    }

    public object Single(int row) => Rows[row];

    public object Batch() => new Dictionary<string, object> { ["instances"] = Rows };

    public object Invocations(string format) => format switch
    {
        "dataframe_split" => new Dictionary<string, object>
        {
            ["dataframe_split"] = new Dictionary<string, object>
            {
                ["columns"] = Names.ToArray(),
                ["data"] = Rows.Select(r => Names.Select(n => r[n]).ToArray()).ToArray(),
            },
        },
        "inputs" => new Dictionary<string, object>
        {
            ["inputs"] = Names.ToDictionary(n => n, n => Rows.Select(r => r[n]).ToArray()),
        },
        _ => new Dictionary<string, object> { [format] = Rows },
    };

    /// <summary>The rows as pandas' <c>to_csv</c> writes them: an unnamed index column first, empty cells for missing.</summary>
    public string Csv()
    {
        var text = new StringBuilder("," + string.Join(',', Names) + "\n");
        for (var i = 0; i < Rows.Count; i++)
        {
            text.Append(i.ToString(System.Globalization.CultureInfo.InvariantCulture));
            foreach (var name in Names)
            {
                text.Append(',').Append(Rows[i][name] switch
                {
                    null => string.Empty,
                    double d => d.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
                    var other => Quote(Convert.ToString(other, System.Globalization.CultureInfo.InvariantCulture)!),
                });
            }

            text.Append('\n');
        }

        return text.ToString();
    }

    private static string Quote(string value) =>
        value.AsSpan().IndexOfAny(",\"\n\r") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;

    public static StringContent CsvContent(string csv) => new(csv, Encoding.UTF8, "text/csv");

    public static StringContent Json(object body) => Raw(JsonSerializer.Serialize(body));

    public static StringContent Raw(string json) => new(json, Encoding.UTF8, "application/json");

    public static Task<HttpResponseMessage> PostAsync(HttpClient client, string path, object body) =>
        client.PostAsync(new Uri(path, UriKind.Relative), Json(body));

    public static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response) =>
        await response.Content.ReadFromJsonAsync<JsonElement>();
}
