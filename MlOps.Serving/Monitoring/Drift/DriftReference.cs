using System.Text.Json;
using MlOps.Serving.Model;

namespace MlOps.Serving.Monitoring.Drift;

/// <summary>
/// What live data is compared with: the training distributions the trainer wrote to <c>reference-stats.json</c>,
/// as one <see cref="DriftColumn"/> per model input (in the schema's order) and one for the score. A model without
/// the file still serves; drift is then off and <see cref="OffReason"/> says why. A single input or the score can be
/// off on its own (not in the file, another kind), with its reason.
/// </summary>
public sealed class DriftReference
{
    public const string FileName = "reference-stats.json";

    private DriftReference(string? offReason, DriftColumn?[] features, string?[] featureOffReasons, DriftColumn? score, string? scoreOffReason)
    {
        OffReason = offReason;
        Features = features;
        FeatureOffReasons = featureOffReasons;
        Score = score;
        ScoreOffReason = scoreOffReason;
    }

    /// <summary>Why drift is off for this model; null when it is on.</summary>
    public string? OffReason { get; }

    /// <summary>Per model input (schema order): its column, or null when that input is not monitored.</summary>
    public DriftColumn?[] Features { get; }

    public string?[] FeatureOffReasons { get; }

    /// <summary>The predicted probability's reference distribution, when the file has one (<c>score</c>).</summary>
    public DriftColumn? Score { get; }

    public string? ScoreOffReason { get; }

    public static DriftReference Off(string reason, int features) =>
        new(reason, new DriftColumn?[features], [.. Enumerable.Repeat<string?>(reason, features)], null, reason);

    /// <summary>Reads <c>reference-stats.json</c> from a model folder; never throws for a bad or missing file.</summary>
    public static DriftReference Load(string directory, ModelSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        var path = Path.Combine(directory, FileName);
        if (!File.Exists(path))
        {
            return Off($"the model has no {FileName} (training distributions), so there is nothing to compare with.", schema.Count);
        }

        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            return Read(document.RootElement, schema);
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException or KeyNotFoundException or IOException)
        {
            return Off($"{FileName} could not be read: {Reasons.Clean(e.Message)}", schema.Count);
        }
    }

    private static DriftReference Read(JsonElement root, ModelSchema schema)
    {
        var entries = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var feature in root.GetProperty("features").EnumerateArray())
        {
            entries[feature.GetProperty("name").GetString() ?? string.Empty] = feature;
        }

        var columns = new DriftColumn?[schema.Count];
        var reasons = new string?[schema.Count];
        for (var f = 0; f < schema.Count; f++)
        {
            var feature = schema.Features[f];
            if (!entries.TryGetValue(feature.Name, out var entry))
            {
                reasons[f] = $"'{feature.Name}' is not in {FileName}.";
            }
            else
            {
                (columns[f], reasons[f]) = Column(feature, entry);
            }
        }

        // The trainer writes the score's training distribution as "score" (a numeric entry) when it records one.
        var score = root.TryGetProperty("score", out var s) && s.ValueKind == JsonValueKind.Object
            ? NumericColumn("score", s)
            : null;
        return new DriftReference(null, columns, reasons, score,
            score is null ? $"{FileName} has no score distribution (\"score\"), so the score's drift cannot be measured." : null);
    }

    private static (DriftColumn?, string?) Column(SchemaFeature feature, JsonElement entry)
    {
        var kind = entry.GetProperty("kind").GetString();
        if (kind != (feature.IsCategorical ? "categorical" : "numeric"))
        {
            return (null, $"'{feature.Name}' is {kind} in {FileName} but {(feature.IsCategorical ? "categorical" : "numeric")} in the model.");
        }

        if (!feature.IsCategorical)
        {
            var column = NumericColumn(feature.Name, entry.GetProperty("numeric"));
            return column is null ? (null, $"'{feature.Name}' has no histogram in {FileName} (no value in training).") : (column, null);
        }

        var stats = entry.GetProperty("categorical");
        var top = new List<(string, long)>();
        long other = 0;
        foreach (var category in stats.GetProperty("categories").EnumerateArray())
        {
            var value = category.GetProperty("value").GetString() ?? string.Empty;
            var count = category.GetProperty("count").GetInt64();
            if (value == DriftColumn.OtherLabel)
            {
                other += count;
            }
            else
            {
                top.Add((value, count));
            }
        }

        return (DriftColumn.Categorical(feature, top, other, stats.GetProperty("missing").GetInt64()), null);
    }

    private static DriftColumn? NumericColumn(string name, JsonElement stats)
    {
        if (!stats.TryGetProperty("histogram", out var histogram) || histogram.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var edges = histogram.GetProperty("edges").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        var counts = histogram.GetProperty("counts").EnumerateArray().Select(c => c.GetInt64()).ToArray();
        var missing = stats.TryGetProperty("missing", out var m) ? m.GetInt64() : 0;
        return DriftColumn.Numeric(name, edges, counts, missing);
    }
}
