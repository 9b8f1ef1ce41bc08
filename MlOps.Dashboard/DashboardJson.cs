using System.Text.Json;
using System.Text.Json.Serialization;

namespace MlOps.Dashboard;

/// <summary>The JSON shape of the dashboard's API: camelCase, enums as strings.</summary>
internal static class DashboardJson
{
    public static JsonSerializerOptions Options { get; } = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        options.Converters.Add(new JsonStringEnumConverter());
        options.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        return options;
    }
}
