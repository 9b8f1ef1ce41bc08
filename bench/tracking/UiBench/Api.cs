using System.Text;
using System.Text.Json.Nodes;

namespace UiBench;

/// <summary>The tracking server's MLflow REST API, as plain JSON.</summary>
internal sealed class Api(HttpClient http)
{
    public async Task<JsonNode> PostAsync(string path, JsonObject body)
    {
        using var content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        using var response = await http.PostAsync(new Uri("/api/2.0/mlflow/" + path, UriKind.Relative), content);
        var text = await response.Content.ReadAsStringAsync();
        return response.IsSuccessStatusCode ? JsonNode.Parse(text)! : throw new InvalidOperationException($"POST {path}: {(int)response.StatusCode} {text}");
    }

    public static JsonArray KeyValues(IEnumerable<(string Key, string Value)> pairs) =>
        [.. pairs.Select(p => (JsonNode)new JsonObject { ["key"] = p.Key, ["value"] = p.Value })];
}
