using System.Globalization;
using System.Text;
using System.Text.Json;

namespace MlOps.Trainer.Model;

/// <summary>One column of an MLflow model signature (column-based ColSpec).</summary>
/// <param name="Name">The column (and ONNX input or output) name.</param>
/// <param name="Type">MLflow's type name: double, float, long, integer, string, boolean.</param>
public sealed record SignatureColumn(string Name, string Type);

/// <summary>
/// The <c>MLmodel</c> file of an MLflow model folder with the <c>onnx</c> flavor, written the way MLflow writes it
/// (YAML; the signature as JSON strings), so MLflow's tools and our serving read the same file.
/// </summary>
public sealed record MlModelFile
{
    public required string ArtifactPath { get; init; }

    public string RunId { get; init; } = string.Empty;

    public required string ModelUuid { get; init; }

    public required DateTime UtcTimeCreated { get; init; }

    public required IReadOnlyList<SignatureColumn> Inputs { get; init; }

    public required IReadOnlyList<SignatureColumn> Outputs { get; init; }

    public string OnnxFile { get; init; } = "model.onnx";

    public string OnnxVersion { get; init; } = "1.17.0";

    public long ModelSizeBytes { get; init; }

    public string MlflowVersion { get; init; } = "2.19.0";

    /// <summary>The YAML text, keys sorted as MLflow's <c>yaml.safe_dump</c> writes them.</summary>
    public string ToYaml()
    {
        var sb = new StringBuilder();
        sb.Append("artifact_path: ").Append(ArtifactPath).Append('\n');
        sb.Append("flavors:\n");
        sb.Append("  onnx:\n");
        sb.Append("    code: null\n");
        sb.Append("    data: ").Append(OnnxFile).Append('\n');
        sb.Append("    onnx_version: ").Append(OnnxVersion).Append('\n');
        sb.Append("    providers:\n");
        sb.Append("    - CPUExecutionProvider\n");
        sb.Append("  python_function:\n");
        sb.Append("    data: ").Append(OnnxFile).Append('\n');
        sb.Append("    loader_module: mlflow.onnx\n");
        sb.Append("mlflow_version: ").Append(MlflowVersion).Append('\n');
        sb.Append("model_size_bytes: ").Append(ModelSizeBytes.ToString(CultureInfo.InvariantCulture)).Append('\n');
        sb.Append("model_uuid: ").Append(ModelUuid).Append('\n');
        sb.Append("run_id: ").Append(RunId.Length == 0 ? "''" : RunId).Append('\n');
        sb.Append("signature:\n");
        sb.Append("  inputs: '").Append(SignatureJson(Inputs)).Append("'\n");
        sb.Append("  outputs: '").Append(SignatureJson(Outputs)).Append("'\n");
        sb.Append("  params: null\n");
        sb.Append("utc_time_created: '")
            .Append(UtcTimeCreated.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture)).Append("'\n");
        return sb.ToString();
    }

    // MLflow stores each signature part as a JSON string (Python's json.dumps spacing) inside single-quoted YAML,
    // where a quote doubles.
    private static string SignatureJson(IReadOnlyList<SignatureColumn> columns)
    {
        var items = columns.Select(c =>
            $"{{\"type\": {JsonSerializer.Serialize(c.Type)}, \"name\": {JsonSerializer.Serialize(c.Name)}, \"required\": true}}");
        return ("[" + string.Join(", ", items) + "]").Replace("'", "''", StringComparison.Ordinal);
    }
}
