using System.Text;
using System.Text.Json;

namespace MlOps.Mlflow;

/// <summary>
/// One input or output of an MLflow model signature: a column (<c>{"type": "double", "name": "amount"}</c>) or a
/// tensor (<c>{"type": "tensor", "tensor-spec": {"dtype": "float32", "shape": [-1, 4]}}</c>).
/// </summary>
/// <param name="Name">The column or tensor name; null for an unnamed tensor.</param>
/// <param name="Type">MLflow's type: <c>double</c>, <c>float</c>, <c>long</c>, <c>integer</c>, <c>string</c>, <c>boolean</c>, … or <c>tensor</c>.</param>
/// <param name="Required">Whether the column is required.</param>
/// <param name="TensorType">The tensor's numpy dtype (tensors only).</param>
/// <param name="TensorShape">The tensor's shape, -1 for a variable dimension (tensors only).</param>
public sealed record SignatureColumn(
    string? Name, string Type, bool Required = true, string? TensorType = null, IReadOnlyList<long>? TensorShape = null);

/// <summary>
/// A model signature as the MLmodel file holds it: each part a JSON string. <see cref="ParseInputs"/> and
/// <see cref="ParseOutputs"/> read the columns; <see cref="FromColumns"/> writes them the way MLflow does.
/// </summary>
/// <param name="Inputs">The inputs as a JSON array string, or null.</param>
/// <param name="Outputs">The outputs as a JSON array string, or null.</param>
/// <param name="Params">The inference params schema as a JSON string, or null.</param>
public sealed record ModelSignature(string? Inputs, string? Outputs, string? Params = null)
{
    /// <summary>Builds a signature from columns, in MLflow's JSON spacing (<c>{"type": "double", "name": "x", "required": true}</c>).</summary>
    /// <param name="inputs">The input columns.</param>
    /// <param name="outputs">The output columns.</param>
    /// <returns>The signature.</returns>
    public static ModelSignature FromColumns(IEnumerable<SignatureColumn> inputs, IEnumerable<SignatureColumn> outputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(outputs);
        return new ModelSignature(ToJson(inputs), ToJson(outputs));
    }

    /// <summary>Reads the input columns.</summary>
    /// <returns>The columns; empty when there are no inputs.</returns>
    /// <exception cref="FormatException">The JSON is not an MLflow schema.</exception>
    public IReadOnlyList<SignatureColumn> ParseInputs() => Parse(Inputs, "inputs");

    /// <summary>Reads the output columns.</summary>
    /// <returns>The columns; empty when there are no outputs.</returns>
    /// <exception cref="FormatException">The JSON is not an MLflow schema.</exception>
    public IReadOnlyList<SignatureColumn> ParseOutputs() => Parse(Outputs, "outputs");

    private static IReadOnlyList<SignatureColumn> Parse(string? json, string part)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return [];
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            return [.. document.RootElement.EnumerateArray().Select(Column)];
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or KeyNotFoundException)
        {
            throw new FormatException($"The signature's {part} are not an MLflow schema: {e.Message}", e);
        }
    }

    private static SignatureColumn Column(JsonElement element)
    {
        var type = element.GetProperty("type").GetString() ?? string.Empty;
        var name = element.TryGetProperty("name", out var n) ? n.GetString() : null;
        var required = !element.TryGetProperty("required", out var r) || r.GetBoolean();
        if (type == "tensor" && element.TryGetProperty("tensor-spec", out var spec))
        {
            var dtype = spec.TryGetProperty("dtype", out var d) ? d.GetString() : null;
            IReadOnlyList<long>? shape = spec.TryGetProperty("shape", out var s) ? [.. s.EnumerateArray().Select(x => x.GetInt64())] : null;
            return new SignatureColumn(name, type, required, dtype, shape);
        }

        return new SignatureColumn(name, type, required);
    }

    // Python's json.dumps spacing, keys in MLflow's order, so the file matches what MLflow writes.
    private static string ToJson(IEnumerable<SignatureColumn> columns)
    {
        var sb = new StringBuilder("[");
        var first = true;
        foreach (var c in columns)
        {
            sb.Append(first ? "" : ", ").Append("{\"type\": ").Append(JsonSerializer.Serialize(c.Type));
            first = false;
            if (c.TensorType is not null || c.TensorShape is not null)
            {
                sb.Append(", \"tensor-spec\": {\"dtype\": ").Append(JsonSerializer.Serialize(c.TensorType ?? "float32"))
                    .Append(", \"shape\": [").Append(string.Join(", ", c.TensorShape ?? [])).Append("]}");
            }

            if (c.Name is not null)
            {
                sb.Append(", \"name\": ").Append(JsonSerializer.Serialize(c.Name));
            }

            if (c.TensorType is null && c.TensorShape is null)
            {
                sb.Append(", \"required\": ").Append(c.Required ? "true" : "false");
            }

            sb.Append('}');
        }

        return sb.Append(']').ToString();
    }
}
