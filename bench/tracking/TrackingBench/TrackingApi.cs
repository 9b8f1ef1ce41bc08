using System.Text;
using System.Text.Json.Nodes;

namespace TrackingBench;

/// <summary>The few MLflow REST calls the cases make, over one HttpClient.</summary>
internal sealed class TrackingApi(HttpClient http)
{
    public HttpClient Http => http;

    public async Task<(int Status, string Body)> TryPostAsync(string path, JsonObject body)
    {
        using var content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        using var response = await http.PostAsync(new Uri(path, UriKind.Relative), content);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    public async Task<JsonNode> PostAsync(string path, JsonObject body)
    {
        var (status, text) = await TryPostAsync(path, body);
        return status == 200 ? JsonNode.Parse(text)! : throw new InvalidOperationException($"POST {path}: {status} {text}");
    }

    public async Task<string> CreateRunAsync(string name)
    {
        var experiment = await PostAsync("/api/2.0/mlflow/experiments/create", new JsonObject { ["name"] = $"bench-{name}-{Guid.NewGuid():N}" });
        var run = await PostAsync("/api/2.0/mlflow/runs/create", new JsonObject
        {
            ["experiment_id"] = experiment["experiment_id"]!.GetValue<string>(),
            ["run_name"] = name,
        });
        return run["run"]!["info"]!["run_id"]!.GetValue<string>();
    }
}
