using System.Globalization;
using MlOps.Mlflow.Yaml;

namespace MlOps.Mlflow;

/// <summary>
/// The <c>MLmodel</c> file of an MLflow model folder: where the model came from, its flavors (how to load it) and
/// its signature. Reads what MLflow and our trainer write; <see cref="ToYaml"/> writes it back the way MLflow does
/// (keys sorted, signature parts as JSON strings). Keys this type does not know are kept in <see cref="Other"/>.
/// </summary>
public sealed record MlModel
{
    /// <summary>The file name inside a model folder.</summary>
    public const string FileName = "MLmodel";

    /// <summary>The flavor name of ONNX models.</summary>
    public const string OnnxFlavor = "onnx";

    /// <summary>The flavor every MLflow model has for generic Python loading.</summary>
    public const string PythonFunctionFlavor = "python_function";

    /// <summary>The path the model was logged under in its run, e.g. <c>model</c>.</summary>
    public string? ArtifactPath { get; init; }

    /// <summary>The flavors by name, each a mapping of settings (e.g. <c>onnx</c> → <c>data: model.onnx</c>).</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, object?>> Flavors { get; init; } =
        new Dictionary<string, IReadOnlyDictionary<string, object?>>();

    /// <summary>The MLflow version that wrote the file.</summary>
    public string? MlflowVersion { get; init; }

    /// <summary>The model's size in bytes, if recorded.</summary>
    public long? ModelSizeBytes { get; init; }

    /// <summary>A unique id of this model.</summary>
    public string? ModelUuid { get; init; }

    /// <summary>The run that logged the model (empty or null when none).</summary>
    public string? RunId { get; init; }

    /// <summary>The inputs and outputs, if recorded.</summary>
    public ModelSignature? Signature { get; init; }

    /// <summary>When the model was created, as written: <c>yyyy-MM-dd HH:mm:ss.ffffff</c> in UTC.</summary>
    public string? UtcTimeCreated { get; init; }

    /// <summary>Other top-level keys (metadata, input example info, …), kept as read.</summary>
    public IReadOnlyDictionary<string, object?> Other { get; init; } = new Dictionary<string, object?>();

    /// <summary>The ONNX file name of the <c>onnx</c> flavor (its <c>data</c>), or null without that flavor.</summary>
    public string? OnnxFile => Flavors.TryGetValue(OnnxFlavor, out var onnx) && onnx.TryGetValue("data", out var data) ? data as string : null;

    /// <summary><see cref="UtcTimeCreated"/> as a UTC time, or null when absent or unreadable.</summary>
    public DateTime? CreatedUtc => DateTime.TryParse(UtcTimeCreated, CultureInfo.InvariantCulture,
        DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var time) ? time : null;

    /// <summary>Formats a time as MLflow writes <c>utc_time_created</c>.</summary>
    /// <param name="utc">The time, in UTC.</param>
    /// <returns>The text.</returns>
    public static string FormatTime(DateTime utc) =>
        utc.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture);

    /// <summary>
    /// Describes an ONNX model folder the way <c>mlflow.onnx.log_model</c> does: the <c>onnx</c> flavor (CPU
    /// provider) plus <c>python_function</c> loading through <c>mlflow.onnx</c>, and a column signature.
    /// </summary>
    /// <param name="artifactPath">The path the model is logged under in its run, e.g. <c>model</c>.</param>
    /// <param name="inputs">The input columns.</param>
    /// <param name="outputs">The output columns.</param>
    /// <param name="modelUuid">A unique id; a new one when null.</param>
    /// <param name="utcTimeCreated">When it was created; now when null.</param>
    /// <param name="runId">The run that logs it; empty when not known yet.</param>
    /// <param name="modelSizeBytes">The size of the model files, if known.</param>
    /// <param name="onnxFile">The ONNX file name in the folder.</param>
    /// <param name="onnxVersion">The ONNX version recorded in the flavor.</param>
    /// <param name="mlflowVersion">The MLflow version the file claims to be written by.</param>
    /// <returns>The model description.</returns>
    public static MlModel ForOnnx(
        string artifactPath,
        IEnumerable<SignatureColumn> inputs,
        IEnumerable<SignatureColumn> outputs,
        string? modelUuid = null,
        DateTime? utcTimeCreated = null,
        string runId = "",
        long? modelSizeBytes = null,
        string onnxFile = "model.onnx",
        string onnxVersion = "1.17.0",
        string mlflowVersion = "2.19.0") => new()
        {
            ArtifactPath = artifactPath,
            Flavors = new Dictionary<string, IReadOnlyDictionary<string, object?>>(StringComparer.Ordinal)
            {
                [OnnxFlavor] = new Dictionary<string, object?>(StringComparer.Ordinal)
                {
                    ["code"] = null,
                    ["data"] = onnxFile,
                    ["onnx_version"] = onnxVersion,
                    ["providers"] = new List<object?> { "CPUExecutionProvider" },
                },
                [PythonFunctionFlavor] = new Dictionary<string, object?>(StringComparer.Ordinal)
                {
                    ["data"] = onnxFile,
                    ["loader_module"] = "mlflow.onnx",
                },
            },
            MlflowVersion = mlflowVersion,
            ModelSizeBytes = modelSizeBytes,
            ModelUuid = modelUuid ?? Guid.NewGuid().ToString("N"),
            RunId = runId,
            Signature = ModelSignature.FromColumns(inputs, outputs),
            UtcTimeCreated = FormatTime(utcTimeCreated ?? DateTime.UtcNow),
        };

    /// <summary>Reads an MLmodel file.</summary>
    /// <param name="path">The file, or a model folder holding it.</param>
    /// <returns>The model description.</returns>
    /// <exception cref="FileNotFoundException">There is no MLmodel file there.</exception>
    /// <exception cref="FormatException">The file is not an MLmodel file this reader understands.</exception>
    public static MlModel Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var file = Directory.Exists(path) ? Path.Combine(path, FileName) : path;
        if (!File.Exists(file))
        {
            throw new FileNotFoundException($"No {FileName} file at {file}.", file);
        }

        return Parse(File.ReadAllText(file));
    }

    /// <summary>Parses the YAML text of an MLmodel file.</summary>
    /// <param name="yaml">The text.</param>
    /// <returns>The model description.</returns>
    /// <exception cref="FormatException">The text is not an MLmodel file this reader understands.</exception>
    public static MlModel Parse(string yaml)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        var root = MiniYamlReader.ReadMapping(yaml);
        var other = new Dictionary<string, object?>(root, StringComparer.Ordinal);
        return new MlModel
        {
            ArtifactPath = Take<string>(other, "artifact_path"),
            Flavors = TakeFlavors(other),
            MlflowVersion = Take<string>(other, "mlflow_version"),
            ModelSizeBytes = Take<long?>(other, "model_size_bytes"),
            ModelUuid = Take<string>(other, "model_uuid"),
            RunId = Take<string>(other, "run_id"),
            Signature = TakeSignature(other),
            UtcTimeCreated = Take<string>(other, "utc_time_created"),
            Other = other,
        };
    }

    /// <summary>Writes the file's YAML text.</summary>
    /// <returns>The text, keys sorted as MLflow's <c>yaml.safe_dump</c> writes them.</returns>
    public string ToYaml()
    {
        var root = new Dictionary<string, object?>(Other, StringComparer.Ordinal);
        Put(root, "artifact_path", ArtifactPath);
        if (Flavors.Count > 0)
        {
            root["flavors"] = Flavors.ToDictionary(f => f.Key, f => (object?)f.Value, StringComparer.Ordinal);
        }

        Put(root, "mlflow_version", MlflowVersion);
        Put(root, "model_size_bytes", ModelSizeBytes);
        Put(root, "model_uuid", ModelUuid);
        Put(root, "run_id", RunId);
        if (Signature is not null)
        {
            root["signature"] = new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["inputs"] = Signature.Inputs,
                ["outputs"] = Signature.Outputs,
                ["params"] = Signature.Params,
            };
        }

        Put(root, "utc_time_created", UtcTimeCreated);
        return MiniYamlWriter.Write(root);
    }

    /// <summary>Writes the file into a model folder (or to a file path), replacing it atomically.</summary>
    /// <param name="path">A model folder, or the file path.</param>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var file = Directory.Exists(path) ? Path.Combine(path, FileName) : path;
        var temp = file + ".tmp-" + Guid.NewGuid().ToString("N")[..8];
        File.WriteAllText(temp, ToYaml());
        File.Move(temp, file, overwrite: true);
    }

    private static void Put(Dictionary<string, object?> root, string key, object? value)
    {
        if (value is not null)
        {
            root[key] = value;
        }
    }

    private static T? Take<T>(Dictionary<string, object?> map, string key)
    {
        if (!map.Remove(key, out var value) || value is null)
        {
            return default;
        }

        return value switch
        {
            T typed => typed,
            // A value written unquoted may read as a number (a run id of digits, a version like 2.0): keep its text.
            _ when typeof(T) == typeof(string) => (T)(object)Convert.ToString(value, CultureInfo.InvariantCulture)!,
            _ => throw new FormatException($"MLmodel key '{key}' has an unexpected value '{value}'."),
        };
    }

    private static Dictionary<string, IReadOnlyDictionary<string, object?>> TakeFlavors(Dictionary<string, object?> map)
    {
        var flavors = new Dictionary<string, IReadOnlyDictionary<string, object?>>(StringComparer.Ordinal);
        if (!map.Remove("flavors", out var value) || value is null)
        {
            return flavors;
        }

        if (value is not Dictionary<string, object?> entries)
        {
            throw new FormatException("MLmodel key 'flavors' must be a mapping of flavor names to settings.");
        }

        foreach (var (name, settings) in entries)
        {
            flavors[name] = settings as Dictionary<string, object?> ?? new Dictionary<string, object?>(StringComparer.Ordinal);
        }

        return flavors;
    }

    private static ModelSignature? TakeSignature(Dictionary<string, object?> map)
    {
        if (!map.Remove("signature", out var value) || value is null)
        {
            return null;
        }

        if (value is not Dictionary<string, object?> parts)
        {
            throw new FormatException("MLmodel key 'signature' must be a mapping with inputs and outputs.");
        }

        return new ModelSignature(Take<string>(parts, "inputs"), Take<string>(parts, "outputs"), Take<string>(parts, "params"));
    }
}
