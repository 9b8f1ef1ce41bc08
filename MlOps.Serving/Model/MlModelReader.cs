using System.Text.Json;

namespace MlOps.Serving.Model;

/// <summary>
/// Reads the two things serving uses from an <c>MLmodel</c> file: <c>run_id</c> and the input signature, which MLflow
/// writes as a JSON string in single-quoted YAML. Only those lines are read; the rest of the YAML is MLflow's business.
/// </summary>
internal static class MlModelReader
{
    public static (string? RunId, Dictionary<string, string> InputTypes) Read(string path)
    {
        string? runId = null;
        var inputs = new Dictionary<string, string>(StringComparer.Ordinal);
        var inSignature = false;
        foreach (var line in File.ReadLines(path))
        {
            if (line.Length > 0 && !char.IsWhiteSpace(line[0]))
            {
                inSignature = line.StartsWith("signature:", StringComparison.Ordinal);
                if (line.StartsWith("run_id:", StringComparison.Ordinal))
                {
                    runId = Unquote(line["run_id:".Length..].Trim());
                }
            }
            else if (inSignature && line.TrimStart().StartsWith("inputs:", StringComparison.Ordinal))
            {
                ReadSignature(Unquote(line.TrimStart()["inputs:".Length..].Trim()), inputs, path);
            }
        }

        return (string.IsNullOrEmpty(runId) ? null : runId, inputs);
    }

    private static void ReadSignature(string json, Dictionary<string, string> inputs, string path)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            foreach (var column in document.RootElement.EnumerateArray())
            {
                if (column.TryGetProperty("name", out var name) && column.TryGetProperty("type", out var type))
                {
                    inputs[name.GetString() ?? string.Empty] = type.GetString() ?? string.Empty;
                }
            }
        }
        catch (JsonException e)
        {
            throw new ModelLoadException($"{path}: the signature's inputs are not valid JSON: {e.Message}", e);
        }
    }

    private static string Unquote(string value) =>
        value.Length >= 2 && value[0] == '\'' && value[^1] == '\''
            ? value[1..^1].Replace("''", "'", StringComparison.Ordinal)
            : value.Length >= 2 && value[0] == '"' && value[^1] == '"' ? value[1..^1] : value;
}
