using System.Text.Json;
using System.Text.Json.Serialization;

namespace MlOps.Trainer.Reporting;

/// <summary>
/// Reads and writes <c>reference-stats.json</c>: snake_case, indented, LF line endings, nulls omitted, written atomically.
/// Uses source-generated serialization, so it also works trimmed or AOT-compiled.
/// </summary>
public static class ReferenceStatisticsWriter
{
    public const string FileName = "reference-stats.json";

    /// <summary>Serialises <paramref name="statistics"/>; the same statistics always give the same text.</summary>
    public static string Serialize(ReferenceStatistics statistics) =>
        JsonSerializer.Serialize(statistics, ReferenceStatisticsJsonContext.Default.ReferenceStatistics) + "\n";

    /// <summary>Writes the JSON to <paramref name="path"/> via a temp file in the same folder and a rename.</summary>
    public static void Write(ReferenceStatistics statistics, string path)
    {
        ArgumentNullException.ThrowIfNull(statistics);
        AtomicFile.WriteAllText(path, Serialize(statistics));
    }

    /// <exception cref="JsonException">The file is not valid reference statistics.</exception>
    public static ReferenceStatistics Read(string path) =>
        JsonSerializer.Deserialize(File.ReadAllText(path), ReferenceStatisticsJsonContext.Default.ReferenceStatistics)
        ?? throw new JsonException($"'{path}' holds no reference statistics.");
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    WriteIndented = true,
    NewLine = "\n",
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ReferenceStatistics))]
internal sealed partial class ReferenceStatisticsJsonContext : JsonSerializerContext;
