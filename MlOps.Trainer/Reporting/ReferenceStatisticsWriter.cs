using System.Text.Json;
using System.Text.Json.Serialization;

namespace MlOps.Trainer.Reporting;

/// <summary>Reads and writes <c>reference-stats.json</c>: snake_case, indented, LF line endings, nulls omitted, written atomically.</summary>
public static class ReferenceStatisticsWriter
{
    public const string FileName = "reference-stats.json";

    private static readonly JsonSerializerOptions s_options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        NewLine = "\n",
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>Serialises <paramref name="statistics"/>; the same statistics always give the same bytes.</summary>
    public static string Serialize(ReferenceStatistics statistics) =>
        JsonSerializer.Serialize(statistics, s_options) + "\n";

    /// <summary>Writes the JSON to <paramref name="path"/> via a temp file and a rename.</summary>
    public static void Write(ReferenceStatistics statistics, string path)
    {
        ArgumentNullException.ThrowIfNull(statistics);
        AtomicFile.WriteAllBytes(path, System.Text.Encoding.UTF8.GetBytes(Serialize(statistics)));
    }

    /// <exception cref="JsonException">The file is not valid reference statistics.</exception>
    public static ReferenceStatistics Read(string path) =>
        JsonSerializer.Deserialize<ReferenceStatistics>(File.ReadAllText(path), s_options)
        ?? throw new JsonException($"'{path}' holds no reference statistics.");
}
