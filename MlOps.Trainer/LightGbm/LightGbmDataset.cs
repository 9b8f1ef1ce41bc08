namespace MlOps.Trainer.LightGbm;

/// <summary>A LightGBM dataset built from a dense column-major matrix of doubles (NaN = missing).</summary>
public sealed class LightGbmDataset : IDisposable
{
    private LightGbmDataset(DatasetSafeHandle handle, int rows, int columns)
    {
        Handle = handle;
        Rows = rows;
        Columns = columns;
    }

    public int Rows { get; }

    public int Columns { get; }

    internal DatasetSafeHandle Handle { get; }

    /// <summary>
    /// Builds a dataset. Categorical features are named in <paramref name="parameters"/> (<c>categorical_feature=0,3</c>).
    /// A validation dataset must pass the training dataset as <paramref name="reference"/> so both share bin boundaries.
    /// <paramref name="columnMajor"/> holds rows × columns values, column after column.
    /// </summary>
    public static unsafe LightGbmDataset Create(
        double[] columnMajor,
        int rows,
        int columns,
        float[] labels,
        string parameters,
        LightGbmDataset? reference = null,
        float[]? weights = null)
    {
        ArgumentNullException.ThrowIfNull(columnMajor);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rows);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(columns);
        if ((long)rows * columns != columnMajor.Length)
        {
            throw new ArgumentException(
                $"The matrix holds {columnMajor.Length} values, expected {rows} rows × {columns} columns.", nameof(columnMajor));
        }

        if (labels.Length != rows)
        {
            throw new ArgumentException($"{labels.Length} labels for {rows} rows.", nameof(labels));
        }

        if (weights is not null && weights.Length != rows)
        {
            throw new ArgumentException($"{weights.Length} weights for {rows} rows.", nameof(weights));
        }

        if (reference is not null && reference.Columns != columns)
        {
            throw new ArgumentException(
                $"The reference dataset has {reference.Columns} columns, this one {columns}.", nameof(reference));
        }

        LightGbmLog.EnsureRouted();
        DatasetSafeHandle handle;
        var referenceAdded = false;
        try
        {
            reference?.Handle.DangerousAddRef(ref referenceAdded);
            var referencePointer = reference?.Handle.DangerousGetHandle() ?? IntPtr.Zero;
            fixed (double* data = columnMajor)
            {
                var result = NativeMethods.DatasetCreateFromMat(
                    data, NativeMethods.DTypeFloat64, rows, columns, isRowMajor: 0, parameters, referencePointer, out handle);
                if (result != 0)
                {
                    handle.Dispose();
                    NativeMethods.Check(result, "LGBM_DatasetCreateFromMat");
                }
            }
        }
        finally
        {
            if (referenceAdded)
            {
                reference!.Handle.DangerousRelease();
            }
        }

        var dataset = new LightGbmDataset(handle, rows, columns);
        try
        {
            dataset.SetField("label", labels);
            if (weights is not null)
            {
                dataset.SetField("weight", weights);
            }
        }
        catch
        {
            dataset.Dispose();
            throw;
        }

        return dataset;
    }

    /// <summary>The number of rows LightGBM holds (LGBM_DatasetGetNumData).</summary>
    public int GetNumData()
    {
        NativeMethods.Check(NativeMethods.DatasetGetNumData(Handle, out var count), "LGBM_DatasetGetNumData");
        return count;
    }

    public void Dispose() => Handle.Dispose();

    private unsafe void SetField(string name, float[] values)
    {
        fixed (float* data = values)
        {
            NativeMethods.Check(
                NativeMethods.DatasetSetField(Handle, name, data, values.Length, NativeMethods.DTypeFloat32),
                "LGBM_DatasetSetField");
        }
    }
}
