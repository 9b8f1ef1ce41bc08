using System.Buffers;

namespace MlOps.Serving.Model;

/// <summary>
/// The rows of one request as the model's columns, in buffers rented from the array pools: numbers as doubles
/// (NaN = missing) and categories as strings ("" = missing). Returned to the pools on dispose.
/// </summary>
public sealed class FeatureBatch : IDisposable
{
    private const int InitialRows = 4;
    private readonly ModelSchema _schema;
    private readonly double[]?[] _numeric;
    private readonly string[]?[] _text;
    private int _capacity;

    public FeatureBatch(ModelSchema schema)
    {
        _schema = schema;
        _numeric = new double[]?[schema.Count];
        _text = new string[]?[schema.Count];
    }

    public ModelSchema Schema => _schema;

    /// <summary>The number of rows the parser filled.</summary>
    public int Count { get; set; }

    public Span<double> Numeric(int feature) => _numeric[feature].AsSpan(0, _capacity);

    public Span<string> Text(int feature) => _text[feature].AsSpan(0, _capacity);

    public Memory<double> NumericMemory(int feature) => _numeric[feature].AsMemory(0, Count);

    public ReadOnlySpan<string> TextRows(int feature) => _text[feature].AsSpan(0, Count);

    /// <summary>Makes room for <paramref name="rows"/> rows, keeping the rows already written.</summary>
    public void EnsureCapacity(int rows)
    {
        if (rows <= _capacity)
        {
            return;
        }

        var capacity = Math.Max(rows, Math.Max(InitialRows, _capacity * 2));
        for (var f = 0; f < _schema.Count; f++)
        {
            if (_schema.Features[f].IsCategorical)
            {
                _text[f] = Grow(ArrayPool<string>.Shared, _text[f], capacity, _capacity);
            }
            else
            {
                _numeric[f] = Grow(ArrayPool<double>.Shared, _numeric[f], capacity, _capacity);
            }
        }

        _capacity = capacity;
    }

    private static T[] Grow<T>(ArrayPool<T> pool, T[]? old, int capacity, int used)
    {
        var next = pool.Rent(capacity);
        if (old is not null)
        {
            old.AsSpan(0, used).CopyTo(next);
            pool.Return(old, clearArray: !typeof(T).IsValueType);
        }

        return next;
    }

    public void Dispose()
    {
        for (var f = 0; f < _schema.Count; f++)
        {
            if (_numeric[f] is { } numbers)
            {
                ArrayPool<double>.Shared.Return(numbers);
                _numeric[f] = null;
            }

            if (_text[f] is { } texts)
            {
                // Strings are references: clear them so the pool does not keep request data alive.
                texts.AsSpan(0, _capacity).Clear();
                ArrayPool<string>.Shared.Return(texts);
                _text[f] = null;
            }
        }

        _capacity = 0;
        Count = 0;
    }
}
