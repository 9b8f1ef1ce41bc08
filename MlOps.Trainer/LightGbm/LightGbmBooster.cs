using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace MlOps.Trainer.LightGbm;

/// <summary>
/// A LightGBM booster: either trained here (<see cref="Create"/>) or loaded from model text
/// (<see cref="LoadFromString"/>). Prediction runs with a fixed <c>num_threads</c> so results do not depend on the
/// machine's OpenMP defaults.
/// </summary>
public sealed class LightGbmBooster : IDisposable
{
    private const int EvalNameBufferLength = 256;

    private readonly BoosterSafeHandle _handle;
    private readonly string _predictParameters;
    private string[]? _evalNames;

    private LightGbmBooster(BoosterSafeHandle handle, int numThreads)
    {
        _handle = handle;
        NumThreads = numThreads > 0 ? numThreads : Environment.ProcessorCount;
        _predictParameters = "num_threads=" + NumThreads.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>The thread count used for prediction.</summary>
    public int NumThreads { get; }

    /// <summary>The number of boosting iterations in the model.</summary>
    public int CurrentIteration
    {
        get
        {
            NativeMethods.Check(
                NativeMethods.BoosterGetCurrentIteration(_handle, out var iteration), "LGBM_BoosterGetCurrentIteration");
            return iteration;
        }
    }

    /// <summary>The number of features the model expects.</summary>
    public int NumFeatures
    {
        get
        {
            NativeMethods.Check(NativeMethods.BoosterGetNumFeature(_handle, out var count), "LGBM_BoosterGetNumFeature");
            return count;
        }
    }

    /// <summary>
    /// Creates a booster that trains on <paramref name="train"/>. The booster keeps the dataset's native memory alive
    /// until it is disposed, even when the dataset object is disposed first. <paramref name="numThreads"/> is the thread
    /// count for prediction; pass the parameters' <c>num_threads</c>.
    /// </summary>
    public static LightGbmBooster Create(LightGbmDataset train, string parameters, int numThreads = 0)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(parameters);
        LightGbmLog.EnsureRouted();
        var result = NativeMethods.BoosterCreate(train.Handle, parameters, out var handle);
        if (result != 0)
        {
            handle.Dispose();
            NativeMethods.Check(result, "LGBM_BoosterCreate");
        }

        handle.KeepAlive(train.Handle);
        return new LightGbmBooster(handle, numThreads);
    }

    /// <summary>Loads a model saved with <see cref="SaveModelToString"/>.</summary>
    public static LightGbmBooster LoadFromString(string modelText, int numThreads = 0)
    {
        ArgumentNullException.ThrowIfNull(modelText);
        LightGbmLog.EnsureRouted();
        var result = NativeMethods.BoosterLoadModelFromString(modelText, out _, out var handle);
        if (result != 0)
        {
            handle.Dispose();
            NativeMethods.Check(result, "LGBM_BoosterLoadModelFromString");
        }

        return new LightGbmBooster(handle, numThreads);
    }

    /// <summary>Adds a validation dataset (built with the training dataset as reference); it gets data index 1, 2, ….</summary>
    public void AddValidation(LightGbmDataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        NativeMethods.Check(NativeMethods.BoosterAddValidData(_handle, dataset.Handle), "LGBM_BoosterAddValidData");
        _handle.KeepAlive(dataset.Handle);
    }

    /// <summary>Trains one more iteration. Returns true when no tree could split any more (training is finished).</summary>
    public bool UpdateOneIteration()
    {
        LightGbmLog.EnsureRouted();
        NativeMethods.Check(NativeMethods.BoosterUpdateOneIter(_handle, out var finished), "LGBM_BoosterUpdateOneIter");
        return finished != 0;
    }

    /// <summary>The metrics for data index 0 (training) or 1.. (validation datasets in the order added), by metric name.</summary>
    public unsafe IReadOnlyDictionary<string, double> GetEvaluation(int dataIndex)
    {
        var names = GetEvalNames();
        var values = new double[Math.Max(names.Length, 1)];
        int count;
        fixed (double* results = values)
        {
            NativeMethods.Check(NativeMethods.BoosterGetEval(_handle, dataIndex, out count, results), "LGBM_BoosterGetEval");
        }

        if (count != names.Length)
        {
            throw new LightGbmException($"LightGBM returned {count} evaluation values for {names.Length} metric names.");
        }

        var evaluation = new Dictionary<string, double>(count, StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            evaluation[names[i]] = values[i];
        }

        return evaluation;
    }

    /// <summary>
    /// The model's current predictions (probabilities for a binary model) for data index 0 (training) or a
    /// validation dataset (1, 2, …), as LightGBM keeps them up to date while boosting: no prediction pass.
    /// </summary>
    public unsafe double[] GetPredictions(int dataIndex)
    {
        NativeMethods.Check(NativeMethods.BoosterGetNumPredict(_handle, dataIndex, out var count), "LGBM_BoosterGetNumPredict");
        var output = new double[count];
        fixed (double* results = output)
        {
            NativeMethods.Check(NativeMethods.BoosterGetPredict(_handle, dataIndex, out var written, results), "LGBM_BoosterGetPredict");
            if (written != count)
            {
                throw new LightGbmException($"LightGBM wrote {written} predictions for {count} rows.");
            }
        }

        return output;
    }

    /// <summary>
    /// The model as LightGBM's text format, keeping the first <paramref name="bestIteration"/> iterations
    /// (≤ 0 keeps all). Feature importances in the text are split counts.
    /// </summary>
    public unsafe string SaveModelToString(int bestIteration)
    {
        var numIteration = bestIteration > 0 ? bestIteration : -1;
        NativeMethods.Check(
            NativeMethods.BoosterSaveModelToString(_handle, 0, numIteration, NativeMethods.ImportanceSplit, 0, out var length, null),
            "LGBM_BoosterSaveModelToString");
        var buffer = new byte[length];
        fixed (byte* data = buffer)
        {
            NativeMethods.Check(
                NativeMethods.BoosterSaveModelToString(
                    _handle, 0, numIteration, NativeMethods.ImportanceSplit, buffer.LongLength, out length, data),
                "LGBM_BoosterSaveModelToString");
        }

        // length counts the terminating NUL.
        var textLength = (int)Math.Min(length, buffer.LongLength);
        if (textLength > 0 && buffer[textLength - 1] == 0)
        {
            textLength--;
        }

        return Encoding.UTF8.GetString(buffer, 0, textLength);
    }

    /// <summary>
    /// Predicts every row of a column-major matrix: probabilities for a binary model, or raw scores (log-odds) when
    /// <paramref name="raw"/>. <paramref name="numIteration"/> ≤ 0 uses all iterations.
    /// </summary>
    public unsafe double[] Predict(double[] columnMajor, int rows, int columns, bool raw = false, int numIteration = -1)
    {
        ArgumentNullException.ThrowIfNull(columnMajor);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rows);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(columns);
        if ((long)rows * columns != columnMajor.Length)
        {
            throw new ArgumentException(
                $"The matrix holds {columnMajor.Length} values, expected {rows} rows × {columns} columns.", nameof(columnMajor));
        }

        LightGbmLog.EnsureRouted();
        // One value per row for binary/regression models; multiclass models would need rows × classes.
        var output = new double[rows];
        long written;
        fixed (double* data = columnMajor)
        fixed (double* results = output)
        {
            NativeMethods.Check(
                NativeMethods.BoosterPredictForMat(
                    _handle, data, NativeMethods.DTypeFloat64, rows, columns, isRowMajor: 0,
                    raw ? NativeMethods.PredictRawScore : NativeMethods.PredictNormal,
                    startIteration: 0, numIteration > 0 ? numIteration : -1, _predictParameters, out written, results),
                "LGBM_BoosterPredictForMat");
        }

        if (written != rows)
        {
            throw new LightGbmException($"LightGBM wrote {written} predictions for {rows} rows.");
        }

        return output;
    }

    /// <summary>Importance per feature: total gain (<paramref name="gain"/>) or split count, over the first <paramref name="numIteration"/> iterations (≤ 0 = all).</summary>
    public unsafe double[] FeatureImportance(bool gain, int numIteration)
    {
        var importance = new double[NumFeatures];
        fixed (double* results = importance)
        {
            NativeMethods.Check(
                NativeMethods.BoosterFeatureImportance(
                    _handle, numIteration > 0 ? numIteration : 0,
                    gain ? NativeMethods.ImportanceGain : NativeMethods.ImportanceSplit, results),
                "LGBM_BoosterFeatureImportance");
        }

        return importance;
    }

    public void Dispose() => _handle.Dispose();

    private unsafe string[] GetEvalNames()
    {
        if (_evalNames is not null)
        {
            return _evalNames;
        }

        NativeMethods.Check(NativeMethods.BoosterGetEvalCounts(_handle, out var count), "LGBM_BoosterGetEvalCounts");
        var bufferLength = EvalNameBufferLength;
        while (true)
        {
            var buffers = new IntPtr[Math.Max(count, 1)];
            try
            {
                for (var i = 0; i < buffers.Length; i++)
                {
                    buffers[i] = Marshal.AllocHGlobal(bufferLength);
                }

                int written;
                nuint required;
                fixed (IntPtr* pointers = buffers)
                {
                    NativeMethods.Check(
                        NativeMethods.BoosterGetEvalNames(
                            _handle, count, out written, (nuint)bufferLength, out required, (byte**)pointers),
                        "LGBM_BoosterGetEvalNames");
                }

                if (required > (nuint)bufferLength)
                {
                    bufferLength = checked((int)required);
                    continue;
                }

                var names = new string[written];
                for (var i = 0; i < written; i++)
                {
                    names[i] = Marshal.PtrToStringUTF8(buffers[i]) ?? string.Empty;
                }

                _evalNames = names;
                return names;
            }
            finally
            {
                foreach (var buffer in buffers)
                {
                    if (buffer != IntPtr.Zero)
                    {
                        Marshal.FreeHGlobal(buffer);
                    }
                }
            }
        }
    }
}
