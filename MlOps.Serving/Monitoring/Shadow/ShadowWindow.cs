using MlOps.Serving.Monitoring.Drift;

namespace MlOps.Serving.Monitoring.Shadow;

/// <summary>
/// The last rows scored by both models: how often their labels agree, and how far apart their score distributions
/// are (PSI over the production scores' deciles). One thread at a time.
/// </summary>
internal sealed class ShadowWindow(int capacity)
{
    private const int ScoreBins = 10;
    private readonly float[] _production = new float[Math.Max(1, capacity)];
    private readonly float[] _challenger = new float[Math.Max(1, capacity)];
    private readonly bool[] _agree = new bool[Math.Max(1, capacity)];
    private int _next;
    private int _agreements;

    public int Count { get; private set; }

    public int Capacity => _production.Length;

    public void Add(float production, float challenger, bool agree)
    {
        if (Count == Capacity)
        {
            _agreements -= _agree[_next] ? 1 : 0;
            Count--;
        }

        (_production[_next], _challenger[_next], _agree[_next]) = (production, challenger, agree);
        _agreements += agree ? 1 : 0;
        _next = (_next + 1) % Capacity;
        Count++;
    }

    public void Clear() => (Count, _next, _agreements) = (0, 0, 0);

    public double? Agreement => Count == 0 ? null : (double)_agreements / Count;

    /// <summary>PSI of the challenger's scores against production's, over the deciles of production's.</summary>
    public double? ScorePsi()
    {
        if (Count == 0)
        {
            return null;
        }

        var sorted = _production.AsSpan(0, Count).ToArray();
        Array.Sort(sorted);
        var edges = new List<float>(ScoreBins);
        for (var i = 1; i < ScoreBins; i++)
        {
            var edge = sorted[(int)((long)i * (Count - 1) / ScoreBins)];
            if (edges.Count == 0 || edge > edges[^1])
            {
                edges.Add(edge);
            }
        }

        var production = new long[edges.Count + 1];
        var challenger = new long[edges.Count + 1];
        for (var i = 0; i < Count; i++)
        {
            production[Bin(edges, _production[i])]++;
            challenger[Bin(edges, _challenger[i])]++;
        }

        return Psi.Compute(production, challenger);
    }

    // Bin k holds scores in (edges[k-1], edges[k]]; above the last edge is the last bin.
    private static int Bin(List<float> edges, float score)
    {
        var index = edges.BinarySearch(score);
        return index >= 0 ? index : ~index;
    }
}
