using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace MlOps.Trainer.Onnx;

/// <summary>
/// Scores rows with an exported model through one ONNX Runtime session, in chunks so large inputs never need
/// one giant tensor. Uses the OrtValue API only. Safe to use from one thread at a time.
/// </summary>
internal sealed class OnnxScorer : IDisposable
{
    public const int DefaultChunkRows = 65_536;

    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions;
    private readonly IReadOnlyList<OnnxFeature> _features;
    private readonly string[] _inputNames;
    private readonly string[] _outputNames = [OnnxExporter.LabelOutput, OnnxExporter.ProbabilityOutput];
    private readonly int _chunkRows;

    public OnnxScorer(byte[] model, IReadOnlyList<OnnxFeature> features, int intraOpThreads = 1,
        int chunkRows = DefaultChunkRows)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(features);
        ArgumentOutOfRangeException.ThrowIfNegative(intraOpThreads);
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkRows, 1);

        _features = features;
        _inputNames = [.. features.Select(f => f.Name)];
        _chunkRows = chunkRows;

        using var options = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            IntraOpNumThreads = intraOpThreads,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
        };
        _session = new InferenceSession(model, options);
        try
        {
            ValidateSignature();
            _runOptions = new RunOptions();
        }
        catch
        {
            _session.Dispose();
            throw;
        }
    }

    /// <summary>A scorer for any model with this trainer's outputs, its features read from the graph's inputs.</summary>
    public static OnnxScorer FromModelInputs(byte[] model, int intraOpThreads = 1)
    {
        using (var probe = new InferenceSession(model))
        {
            var features = probe.InputMetadata
                .Select(i => i.Value.ElementDataType == TensorElementType.String ? OnnxFeature.Categorical(i.Key, []) : OnnxFeature.Numeric(i.Key))
                .ToArray();
            return new OnnxScorer(model, features, intraOpThreads);
        }
    }

    /// <summary>The model's metadata properties (label, positive_value, threshold, data_md5 for this trainer's models).</summary>
    public IReadOnlyDictionary<string, string> Metadata => _session.ModelMetadata.CustomMetadataMap;

    /// <summary>The inputs the model expects, in graph order.</summary>
    public IReadOnlyList<OnnxFeature> Features => _features;

    public static OnnxScorer FromFile(string path, IReadOnlyList<OnnxFeature> features, int intraOpThreads = 1,
        int chunkRows = DefaultChunkRows) =>
        new(File.ReadAllBytes(path), features, intraOpThreads, chunkRows);

    /// <summary>
    /// Scores <paramref name="rows"/> rows. Every numeric feature needs a double column and every categorical one a
    /// string column (null, empty or unknown strings encode as missing), each exactly <paramref name="rows"/> long.
    /// </summary>
    public (long[] Labels, float[] Probabilities, double[]? ProbabilitiesDouble) Score(
        IReadOnlyDictionary<string, double[]> numeric,
        IReadOnlyDictionary<string, string[]> categorical,
        int rows)
    {
        ArgumentNullException.ThrowIfNull(numeric);
        ArgumentNullException.ThrowIfNull(categorical);
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ValidateColumns(numeric, categorical, rows);

        var labels = new long[rows];
        var probabilities = new float[rows];
        for (var start = 0; start < rows; start += _chunkRows)
        {
            var count = Math.Min(_chunkRows, rows - start);
            ScoreChunk(numeric, categorical, start, count, labels, probabilities);
        }

        return (labels, probabilities, null);
    }

    public void Dispose()
    {
        _runOptions.Dispose();
        _session.Dispose();
    }

    private void ScoreChunk(
        IReadOnlyDictionary<string, double[]> numeric,
        IReadOnlyDictionary<string, string[]> categorical,
        int start,
        int count,
        long[] labels,
        float[] probabilities)
    {
        long[] shape = [count, 1];
        var inputs = new List<OrtValue>(_features.Count);
        try
        {
            foreach (var feature in _features)
            {
                if (feature.IsCategorical)
                {
                    var column = categorical[feature.Name];
                    var value = OrtValue.CreateTensorWithEmptyStrings(OrtAllocator.DefaultInstance, shape);
                    inputs.Add(value);
                    for (var i = 0; i < count; i++)
                    {
                        value.StringTensorSetElementAt((column[start + i] ?? string.Empty).AsSpan(), i);
                    }
                }
                else
                {
                    var memory = new Memory<double>(numeric[feature.Name], start, count);
                    inputs.Add(OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, memory, shape));
                }
            }

            using var outputs = _session.Run(_runOptions, _inputNames, inputs, _outputNames);
            outputs[0].GetTensorDataAsSpan<long>().CopyTo(labels.AsSpan(start, count));
            outputs[1].GetTensorDataAsSpan<float>().CopyTo(probabilities.AsSpan(start, count));
        }
        finally
        {
            foreach (var value in inputs)
            {
                value.Dispose();
            }
        }
    }

    private void ValidateColumns(
        IReadOnlyDictionary<string, double[]> numeric, IReadOnlyDictionary<string, string[]> categorical, int rows)
    {
        foreach (var feature in _features)
        {
            int length;
            if (feature.IsCategorical)
            {
                length = categorical.TryGetValue(feature.Name, out var strings)
                    ? strings.Length
                    : throw new ArgumentException($"No string column for categorical feature '{feature.Name}'.", nameof(categorical));
            }
            else
            {
                length = numeric.TryGetValue(feature.Name, out var doubles)
                    ? doubles.Length
                    : throw new ArgumentException($"No double column for numeric feature '{feature.Name}'.", nameof(numeric));
            }

            if (length != rows)
            {
                throw new ArgumentException($"Column '{feature.Name}' has {length} values but {rows} rows are scored.");
            }
        }
    }

    private void ValidateSignature()
    {
        var inputs = _session.InputMetadata;
        var problems = new List<string>();
        foreach (var feature in _features)
        {
            var expected = feature.IsCategorical ? TensorElementType.String : TensorElementType.Double;
            if (!inputs.TryGetValue(feature.Name, out var meta))
            {
                problems.Add($"input '{feature.Name}' is missing");
            }
            else if (!meta.IsTensor || meta.ElementDataType != expected)
            {
                problems.Add($"input '{feature.Name}' is {meta.ElementDataType}, expected a {expected} tensor");
            }
        }

        foreach (var name in inputs.Keys.Except(_inputNames, StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            problems.Add($"the model has an input '{name}' that the feature list does not name");
        }

        var outputs = _session.OutputMetadata;
        foreach (var (name, expected) in new[]
        {
            (OnnxExporter.LabelOutput, TensorElementType.Int64),
            (OnnxExporter.ProbabilityOutput, TensorElementType.Float),
        })
        {
            if (!outputs.TryGetValue(name, out var meta))
            {
                problems.Add($"output '{name}' is missing");
            }
            else if (!meta.IsTensor || meta.ElementDataType != expected)
            {
                problems.Add($"output '{name}' is {meta.ElementDataType}, expected a {expected} tensor");
            }
        }

        if (problems.Count > 0)
        {
            throw new InvalidOperationException(
                $"The ONNX model does not match the feature list: {string.Join("; ", problems)}.");
        }
    }
}
