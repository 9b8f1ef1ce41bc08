using System.Text;

namespace MlOps.Serving.Model;

/// <summary>One input of the model: its name (as JSON field and ONNX input), kind, and known categories.</summary>
public sealed class SchemaFeature
{
    private readonly Dictionary<string, string> _categories;
    private readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    public SchemaFeature(string name, bool isCategorical, IEnumerable<string> categories)
    {
        Name = name;
        Utf8Name = Encoding.UTF8.GetBytes(name);
        IsCategorical = isCategorical;
        _categories = categories.Distinct(StringComparer.Ordinal).ToDictionary(c => c, c => c, StringComparer.Ordinal);
        _lookup = _categories.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public string Name { get; }

    public byte[] Utf8Name { get; }

    public bool IsCategorical { get; }

    public IReadOnlyCollection<string> Categories => _categories.Keys;

    /// <summary>The known category equal to <paramref name="value"/>, so known values cost no allocation per request.</summary>
    public bool TryGetCategory(ReadOnlySpan<char> value, out string? category) => _lookup.TryGetValue(value, out category);
}

/// <summary>
/// The inputs a loaded model takes, in the ONNX session's input order. Built from the model itself (ONNX input
/// names and element types, checked against the MLmodel signature and the card), never from a fixed feature list.
/// </summary>
public sealed class ModelSchema
{
    public ModelSchema(IReadOnlyList<SchemaFeature> features)
    {
        Features = features;
        Slots = new int[features.Count];
        for (var f = 0; f < features.Count; f++)
        {
            Slots[f] = features[f].IsCategorical ? TextCount++ : NumericCount++;
        }
    }

    public IReadOnlyList<SchemaFeature> Features { get; }

    public int Count => Features.Count;

    /// <summary>Each feature's index among the numeric features, or among the categorical ones.</summary>
    public int[] Slots { get; }

    public int NumericCount { get; }

    public int TextCount { get; }

    /// <summary>The index of the feature whose UTF-8 name the reader's current property equals, or -1.</summary>
    public int IndexOf(ref System.Text.Json.Utf8JsonReader reader, int expected)
    {
        if ((uint)expected < (uint)Features.Count && reader.ValueTextEquals(Features[expected].Utf8Name))
        {
            return expected;
        }

        for (var i = 0; i < Features.Count; i++)
        {
            if (i != expected && reader.ValueTextEquals(Features[i].Utf8Name))
            {
                return i;
            }
        }

        return -1;
    }

    public int IndexOf(string name)
    {
        for (var i = 0; i < Features.Count; i++)
        {
            if (string.Equals(Features[i].Name, name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }
}
