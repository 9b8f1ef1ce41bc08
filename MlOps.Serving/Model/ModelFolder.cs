using System.Security.Cryptography;
using System.Text.Json;

namespace MlOps.Serving.Model;

/// <summary>A feature as the model card describes it.</summary>
public sealed record CardFeature(string Name, bool IsCategorical, IReadOnlyList<string> Categories);

/// <summary>
/// What serving needs from a trainer's model folder: the ONNX bytes' path, the card's name, version, threshold and
/// categories, and the MLmodel file's run id and signature (MLflow's types per input).
/// </summary>
public sealed record ModelFolder(
    string OnnxPath,
    string Name,
    string Version,
    string? RunId,
    double Threshold,
    IReadOnlyList<CardFeature> Features,
    IReadOnlyDictionary<string, string> SignatureTypes)
{
    public const string OnnxFileName = "model.onnx";
    public const string CardFileName = "model-card.json";
    public const string MlModelFileName = "MLmodel";

    public static ModelFolder Read(string directory)
    {
        var onnx = Path.Combine(directory, OnnxFileName);
        var card = Path.Combine(directory, CardFileName);
        foreach (var file in new[] { onnx, card })
        {
            if (!File.Exists(file))
            {
                throw new ModelLoadException($"'{directory}' holds no {Path.GetFileName(file)}.");
            }
        }

        var mlmodel = Path.Combine(directory, MlModelFileName);
        var (runId, signature) = File.Exists(mlmodel) ? MlModelReader.Read(mlmodel) : (null, new Dictionary<string, string>());
        try
        {
            using var json = JsonDocument.Parse(File.ReadAllBytes(card));
            var root = json.RootElement;
            var name = root.GetProperty("model_name").GetString() ?? "model";
            var uuid = root.TryGetProperty("model_uuid", out var u) ? u.GetString() : null;
            var threshold = root.GetProperty("threshold").GetProperty("value").GetDouble();
            var features = root.GetProperty("features").EnumerateArray().Select(ReadFeature).ToArray();
            return new ModelFolder(onnx, name, ShortVersion(uuid, onnx), runId, threshold, features, signature);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new ModelLoadException($"{card} is not a valid model card: {e.Message}", e);
        }
    }

    private static CardFeature ReadFeature(JsonElement feature)
    {
        var name = feature.GetProperty("name").GetString() ?? throw new FormatException("a feature has no name");
        var categorical = string.Equals(feature.GetProperty("type").GetString(), "categorical", StringComparison.Ordinal);
        var categories = feature.TryGetProperty("categories", out var c) && c.ValueKind == JsonValueKind.Array
            ? c.EnumerateArray().Select(x => x.GetString() ?? string.Empty).ToArray()
            : [];
        return new CardFeature(name, categorical, categories);
    }

    // The card's uuid when there is one (short, like a git commit); otherwise the ONNX bytes decide.
    private static string ShortVersion(string? uuid, string onnxPath)
    {
        if (!string.IsNullOrWhiteSpace(uuid))
        {
            var hex = uuid.Replace("-", string.Empty, StringComparison.Ordinal);
            return hex.Length > 12 ? hex[..12] : hex;
        }

        using var stream = File.OpenRead(onnxPath);
        return Convert.ToHexStringLower(SHA256.HashData(stream))[..12];
    }
}
