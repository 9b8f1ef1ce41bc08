using System.Text.Json.Serialization;
using Microsoft.ML.OnnxRuntime;
using MlOps.Serving.Monitoring.Drift;

namespace MlOps.Serving.Model;

/// <summary>What clients and health checks are told about the model that answered.</summary>
public sealed record ModelInfo(
    string Name,
    string Version,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? RunId,
    DateTimeOffset LoadedAt);

/// <summary>
/// One loaded model: its single shared <see cref="InferenceSession"/>, input schema and threshold. Requests hold a
/// reference while they score (<see cref="TryAddRef"/>/<see cref="Release"/>); the owner's reference is dropped when a
/// newer model replaces this one, and the session is disposed when the last request lets go.
/// </summary>
public sealed class LoadedModel
{
    private const string LabelOutput = "label";
    private const string ProbabilityOutput = "probability";

    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions = new();
    private readonly string[] _inputNames;
    private readonly string[] _outputNames = [LabelOutput, ProbabilityOutput];
    private readonly int[] _labelShape;
    private readonly int[] _probabilityShape;
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _references = 1;

    internal LoadedModel(InferenceSession session, ModelSchema schema, ModelInfo info, double threshold, int[] labelShape, int[] probabilityShape,
        DriftReference? drift = null)
    {
        Drift = drift ?? DriftReference.Off("no reference was loaded with this model.", schema.Count);
        _session = session;
        Schema = schema;
        Info = info;
        Threshold = threshold;
        _labelShape = labelShape;
        _probabilityShape = probabilityShape;
        _inputNames = [.. schema.Features.Select(f => f.Name)];
    }

    public ModelSchema Schema { get; }

    public ModelInfo Info { get; }

    public double Threshold { get; }

    /// <summary>The training distributions drift is measured against (or why it is off).</summary>
    public DriftReference Drift { get; }

    /// <summary>The ONNX shapes of the <c>label</c> and <c>probability</c> outputs (-1 for the rows).</summary>
    public IReadOnlyList<int> LabelShape => _labelShape;

    public IReadOnlyList<int> ProbabilityShape => _probabilityShape;

    /// <summary>Completes once the session has been disposed (retired and drained).</summary>
    public Task Drained => _drained.Task;

    /// <summary>Scores the batch's rows with the OrtValue API over the batch's pooled buffers.</summary>
    public ModelScores Score(FeatureBatch batch)
    {
        var rows = batch.Count;
        var scores = new ModelScores(rows);
        var inputs = new OrtValue[_inputNames.Length];
        var outputs = new OrtValue[2];
        try
        {
            long[] columnShape = [rows, 1];
            for (var f = 0; f < inputs.Length; f++)
            {
                inputs[f] = Schema.Features[f].IsCategorical
                    ? StringTensor(batch.TextRows(f), columnShape)
                    : OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, batch.NumericMemory(f), columnShape);
            }

            outputs[0] = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, scores.LabelBuffer.AsMemory(0, rows), Shape(_labelShape, rows));
            outputs[1] = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, scores.ProbabilityBuffer.AsMemory(0, rows), Shape(_probabilityShape, rows));
            _session.Run(_runOptions, _inputNames, inputs, _outputNames, outputs);
            return scores;
        }
        catch
        {
            scores.Dispose();
            throw;
        }
        finally
        {
            foreach (var value in inputs)
            {
                value?.Dispose();
            }

            foreach (var value in outputs)
            {
                value?.Dispose();
            }
        }
    }

    private static OrtValue StringTensor(ReadOnlySpan<string> values, long[] shape)
    {
        var tensor = OrtValue.CreateTensorWithEmptyStrings(OrtAllocator.DefaultInstance, shape);
        for (var i = 0; i < values.Length; i++)
        {
            tensor.StringTensorSetElementAt(values[i].AsSpan(), i);
        }

        return tensor;
    }

    private static long[] Shape(int[] template, int rows)
    {
        var shape = new long[template.Length];
        for (var i = 0; i < shape.Length; i++)
        {
            shape[i] = template[i] < 0 ? rows : template[i];
        }

        return shape;
    }

    public bool TryAddRef()
    {
        var current = Volatile.Read(ref _references);
        while (current > 0)
        {
            var seen = Interlocked.CompareExchange(ref _references, current + 1, current);
            if (seen == current)
            {
                return true;
            }

            current = seen;
        }

        return false;
    }

    public void Release()
    {
        if (Interlocked.Decrement(ref _references) == 0)
        {
            _session.Dispose();
            _runOptions.Dispose();
            _drained.TrySetResult();
        }
    }

    /// <summary>Drops the owner's reference: the session goes once the requests still using it finish.</summary>
    public void Retire() => Release();
}

/// <summary>A request's hold on a model; dispose it when the request is done with the model.</summary>
public readonly struct ModelLease(LoadedModel model) : IDisposable
{
    public LoadedModel Model { get; } = model;

    public void Dispose() => Model?.Release();
}
