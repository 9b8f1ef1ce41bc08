using System.Buffers;

namespace MlOps.Serving.Model;

/// <summary>The model's outputs for one batch, in pooled buffers that go back to the pool on dispose.</summary>
public sealed class ModelScores : IDisposable
{
    private long[]? _labels;
    private float[]? _probabilities;

    public ModelScores(int count)
    {
        Count = count;
        _labels = ArrayPool<long>.Shared.Rent(count);
        _probabilities = ArrayPool<float>.Shared.Rent(count);
    }

    public int Count { get; }

    /// <summary>The model's own <c>label</c> output.</summary>
    public Span<long> Labels => _labels.AsSpan(0, Count);

    /// <summary>The model's <c>probability</c> output: the probability of the positive class.</summary>
    public Span<float> Probabilities => _probabilities.AsSpan(0, Count);

    internal long[] LabelBuffer => _labels ?? throw new ObjectDisposedException(nameof(ModelScores));

    internal float[] ProbabilityBuffer => _probabilities ?? throw new ObjectDisposedException(nameof(ModelScores));

    public void Dispose()
    {
        if (_labels is not null)
        {
            ArrayPool<long>.Shared.Return(_labels);
            _labels = null;
        }

        if (_probabilities is not null)
        {
            ArrayPool<float>.Shared.Return(_probabilities);
            _probabilities = null;
        }
    }
}
