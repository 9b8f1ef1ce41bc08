using System.Text.Json;
using System.Text.Json.Serialization;

namespace MlOps.Mlflow;

/// <summary>
/// MLflow's JSON: snake_case names, defaults left out when writing, and proto3 JSON's tolerance when reading
/// (omitted fields keep their defaults, int64 may come as strings, NaN and infinities as strings).
/// </summary>
internal static class MlflowJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowReadingFromString | JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>A list to send, or null (left out) when there is nothing in it, as MLflow's clients do.</summary>
    public static List<T>? ListOrNull<T>(IEnumerable<T>? items)
    {
        if (items is null)
        {
            return null;
        }

        var list = items.ToList();
        return list.Count == 0 ? null : list;
    }
}
