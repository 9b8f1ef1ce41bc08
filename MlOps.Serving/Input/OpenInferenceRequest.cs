using System.Buffers;
using System.Text.Json;
using MlOps.Serving.Model;

namespace MlOps.Serving.Input;

/// <summary>
/// An Open Inference Protocol (KServe V2) inference request read into a <see cref="FeatureBatch"/>: one tensor per
/// model input, by name, with its datatype (<c>BYTES</c> for a categorical input; <c>FP32</c>, <c>FP64</c> or <c>INT64</c>
/// for a numeric one) and shape (<c>[N]</c> or <c>[N, 1]</c>, the same N for all), data flat or nested in row-major
/// order; <c>null</c> is a missing value. Also the request's <c>id</c> and the outputs it asks for.
/// </summary>
public sealed class OpenInferenceRequest
{
    public const string LabelOutput = "label";
    public const string ProbabilityOutput = "probability";
    private static readonly string[] s_numericTypes = ["FP32", "FP64", "INT64"];

    public string? Id { get; private set; }

    /// <summary>The outputs to answer with, in the order asked; both when the request names none.</summary>
    public IReadOnlyList<string> Outputs { get; private set; } = [LabelOutput, ProbabilityOutput];

    public bool TryParse(ReadOnlySequence<byte> body, FeatureBatch batch, int maxRows, InputErrors errors)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(errors);
        try
        {
            using var document = JsonDocument.Parse(body);
            Read(document.RootElement, batch, maxRows, errors);
        }
        catch (JsonException e)
        {
            errors.Add(InputErrors.BodyKey, $"Malformed JSON: {e.Message}");
        }

        return !errors.Any;
    }

    private void Read(JsonElement root, FeatureBatch batch, int maxRows, InputErrors errors)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            errors.Add(InputErrors.BodyKey, "The body must be an inference request object with \"inputs\".");
            return;
        }

        if (root.TryGetProperty("id", out var id))
        {
            Id = id.ValueKind == JsonValueKind.String ? id.GetString() : null;
            if (Id is null)
            {
                errors.Add("id", "Must be a string.");
            }
        }

        if (root.TryGetProperty("outputs", out var outputs))
        {
            ReadOutputs(outputs, errors);
        }

        if (!root.TryGetProperty("inputs", out var inputs) || inputs.ValueKind != JsonValueKind.Array || inputs.GetArrayLength() == 0)
        {
            errors.Add("inputs", $"Must be a non-empty array of input tensors, one per model input ({InputList(batch.Schema)}).");
            return;
        }

        ReadInputs(inputs, batch, maxRows, errors);
    }

    private void ReadOutputs(JsonElement outputs, InputErrors errors)
    {
        var names = new List<string>();
        foreach (var output in outputs.ValueKind == JsonValueKind.Array ? outputs.EnumerateArray() : default)
        {
            var name = output.ValueKind == JsonValueKind.Object && output.TryGetProperty("name", out var n) ? n.GetString() : null;
            if (name is not (LabelOutput or ProbabilityOutput))
            {
                errors.Add("outputs", $"Unknown output '{name}'; the model's outputs are {LabelOutput} and {ProbabilityOutput}.");
                continue;
            }

            names.Add(name);
        }

        if (outputs.ValueKind != JsonValueKind.Array)
        {
            errors.Add("outputs", "Must be an array of {\"name\": …}.");
        }
        else if (names.Count > 0)
        {
            Outputs = names;
        }
    }

    private static void ReadInputs(JsonElement inputs, FeatureBatch batch, int maxRows, InputErrors errors)
    {
        var schema = batch.Schema;
        var tensors = new JsonElement?[schema.Count];
        foreach (var input in inputs.EnumerateArray())
        {
            var name = input.ValueKind == JsonValueKind.Object && input.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String
                ? n.GetString()!
                : null;
            var f = name is null ? -1 : schema.IndexOf(name);
            if (f < 0)
            {
                errors.Add(name is null ? "inputs" : $"inputs.{name}", name is null
                    ? "Every input tensor needs a \"name\"."
                    : $"Not an input of the model (inputs: {InputList(schema)}).");
            }
            else if (tensors[f] is not null)
            {
                errors.Add($"inputs.{name}", "Appears more than once.");
            }
            else
            {
                tensors[f] = input;
            }
        }

        var rows = -1;
        for (var f = 0; f < schema.Count; f++)
        {
            if (tensors[f] is not { } tensor)
            {
                errors.Add($"inputs.{schema.Features[f].Name}", "Missing: every input of the model is required.");
                continue;
            }

            var count = Rows(tensor, schema.Features[f], maxRows, errors);
            if (count < 0)
            {
                continue;
            }

            if (rows >= 0 && count != rows)
            {
                errors.Add($"inputs.{schema.Features[f].Name}.shape", $"Has {count} rows but the inputs before it have {rows}.");
                continue;
            }

            rows = count;
            batch.EnsureCapacity(rows);
            ReadData(tensor.GetProperty("data"), f, rows, tensor.GetProperty("datatype").GetString() == "INT64", batch, errors);
        }

        batch.Count = Math.Max(rows, 0);
    }

    // Checks datatype and shape; returns the rows (N of [N] or [N, 1]) or -1.
    private static int Rows(JsonElement tensor, SchemaFeature feature, int maxRows, InputErrors errors)
    {
        var key = $"inputs.{feature.Name}";
        var datatype = tensor.TryGetProperty("datatype", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null;
        var expected = feature.IsCategorical ? "BYTES" : string.Join(", ", s_numericTypes);
        if (feature.IsCategorical ? datatype != "BYTES" : Array.IndexOf(s_numericTypes, datatype) < 0)
        {
            errors.Add($"{key}.datatype", $"Is '{datatype}'; this input takes {expected}.");
            return -1;
        }

        if (!tensor.TryGetProperty("shape", out var shape) || shape.ValueKind != JsonValueKind.Array
            || shape.GetArrayLength() is not (1 or 2)
            || shape.EnumerateArray().Any(s => s.ValueKind != JsonValueKind.Number || !s.TryGetInt64(out var v) || v < 0)
            || (shape.GetArrayLength() == 2 && shape[1].GetInt64() != 1))
        {
            errors.Add($"{key}.shape", "Must be [N] or [N, 1]: one value per row.");
            return -1;
        }

        var rows = shape[0].GetInt64();
        if (rows == 0 || rows > maxRows)
        {
            errors.Add($"{key}.shape", rows == 0 ? "Holds no rows; send at least one." : $"More than {maxRows} rows; send at most {maxRows} per request.");
            return -1;
        }

        if (!tensor.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Array)
        {
            errors.Add($"{key}.data", "Must be an array of the tensor's values (flat or nested, row-major).");
            return -1;
        }

        return (int)rows;
    }

    private static void ReadData(JsonElement data, int f, int rows, bool integers, FeatureBatch batch, InputErrors errors)
    {
        var feature = batch.Schema.Features[f];
        var key = $"inputs.{feature.Name}.data";
        var row = 0;
        foreach (var value in Flatten(data))
        {
            if (row >= rows)
            {
                row++;
                continue;
            }

            if (feature.IsCategorical)
            {
                if (value.ValueKind is JsonValueKind.String or JsonValueKind.Null)
                {
                    var text = value.GetString() ?? string.Empty;
                    batch.Text(f)[row] = feature.TryGetCategory(text, out var known) ? known! : text;
                }
                else
                {
                    errors.Add($"{key}[{row}]", $"Must be a string (BYTES) or null, not {value.ValueKind.ToString().ToLowerInvariant()}.");
                }
            }
            else if (value.ValueKind == JsonValueKind.Null)
            {
                batch.Numeric(f)[row] = double.NaN;
            }
            else if (value.ValueKind == JsonValueKind.Number && (!integers || value.TryGetInt64(out _))
                && value.TryGetDouble(out var number) && Math.Abs(number) <= float.MaxValue)
            {
                batch.Numeric(f)[row] = number;
            }
            else
            {
                errors.Add($"{key}[{row}]", $"Must be {(integers ? "an integer (INT64)" : "a number")} within ±3.4e38 or null, not {Shown(value)}.");
            }

            row++;
        }

        if (row != rows)
        {
            errors.Add(key, $"Holds {row} values; the shape says {rows}.");
        }
    }

    private static IEnumerable<JsonElement> Flatten(JsonElement data)
    {
        foreach (var item in data.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.Array)
            {
                foreach (var inner in Flatten(item))
                {
                    yield return inner;
                }
            }
            else
            {
                yield return item;
            }
        }
    }

    private static string Shown(JsonElement value)
    {
        var text = value.GetRawText();
        return text.Length <= 40 ? text : text[..40] + "…";
    }

    private static string InputList(ModelSchema schema) => string.Join(", ", schema.Features.Select(f => f.Name));
}
