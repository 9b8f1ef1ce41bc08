namespace MlOps.Trainer.Onnx;

/// <summary>
/// A binary LightGBM gradient-boosted model as read from its saved text: the trees and what turns their summed
/// raw score into a probability. <see cref="PredictRaw"/> is the reference the ONNX graph must reproduce.
/// </summary>
/// <param name="FeatureCount">Number of model features (max_feature_idx + 1).</param>
/// <param name="FeatureNames">The model's feature names, in feature order.</param>
/// <param name="Objective">The objective line as LightGBM wrote it, e.g. "binary sigmoid:1".</param>
/// <param name="SigmoidCoefficient">The binary objective's sigmoid parameter.</param>
/// <param name="Trees">The trees; leaf values already include shrinkage and the initial score.</param>
internal sealed record GbdtModel(
    int FeatureCount,
    IReadOnlyList<string> FeatureNames,
    string Objective,
    double SigmoidCoefficient,
    IReadOnlyList<GbdtTree> Trees)
{
    /// <summary>The raw score (sum of the trees' leaf values) for one row of model features.</summary>
    public double PredictRaw(ReadOnlySpan<double> features)
    {
        if (features.Length != FeatureCount)
        {
            throw new ArgumentException(
                $"Expected {FeatureCount} feature values but got {features.Length}.", nameof(features));
        }

        var sum = 0.0;
        foreach (var tree in Trees)
        {
            sum += tree.Predict(features);
        }

        return sum;
    }

    /// <summary>The positive-class probability LightGBM reports: 1 / (1 + exp(-sigmoid * raw)).</summary>
    public double PredictProbability(ReadOnlySpan<double> features) =>
        1.0 / (1.0 + Math.Exp(-SigmoidCoefficient * PredictRaw(features)));
}

/// <summary>How a LightGBM split treats missing values (bits 2–3 of decision_type).</summary>
internal enum GbdtMissingType
{
    None = 0,
    Zero = 1,
    NaN = 2,
}

/// <summary>
/// One LightGBM tree in its own array layout. Internal nodes are 0 .. NumLeaves-2; a child reference
/// &gt;= 0 is an internal node, a negative one is <c>~leafIndex</c>.
/// </summary>
internal sealed record GbdtTree(
    int NumLeaves,
    IReadOnlyList<int> SplitFeature,
    IReadOnlyList<double> Threshold,
    IReadOnlyList<int> DecisionType,
    IReadOnlyList<int> LeftChild,
    IReadOnlyList<int> RightChild,
    IReadOnlyList<double> LeafValue,
    IReadOnlyList<int> CatBoundaries,
    IReadOnlyList<uint> CatThreshold,
    double Shrinkage)
{
    private const int CategoricalMask = 1;
    private const int DefaultLeftMask = 2;

    /// <summary>LightGBM's kZeroThreshold: values this close to zero count as zero.</summary>
    private const double ZeroThreshold = 1e-35;

    public int InternalNodeCount => NumLeaves - 1;

    public bool IsCategorical(int node) => (DecisionType[node] & CategoricalMask) != 0;

    public bool IsDefaultLeft(int node) => (DecisionType[node] & DefaultLeftMask) != 0;

    public GbdtMissingType MissingType(int node) => (GbdtMissingType)((DecisionType[node] >> 2) & 3);

    /// <summary>The category codes of a categorical split's left-hand set, ascending, decoded from its bitset.</summary>
    public IReadOnlyList<int> CategorySet(int node)
    {
        var catIndex = (int)Threshold[node];
        var start = CatBoundaries[catIndex];
        var end = CatBoundaries[catIndex + 1];
        var codes = new List<int>();
        for (var word = start; word < end; word++)
        {
            var bits = CatThreshold[word];
            for (var bit = 0; bit < 32; bit++)
            {
                if ((bits & (1u << bit)) != 0)
                {
                    codes.Add(((word - start) * 32) + bit);
                }
            }
        }

        return codes;
    }

    /// <summary>The leaf value this tree gives one row, following LightGBM's decision rules exactly.</summary>
    public double Predict(ReadOnlySpan<double> features)
    {
        if (NumLeaves <= 1)
        {
            return LeafValue[0];
        }

        var node = 0;
        while (node >= 0)
        {
            var value = features[SplitFeature[node]];
            node = IsCategorical(node) ? CategoricalDecision(value, node) : NumericalDecision(value, node);
        }

        return LeafValue[~node];
    }

    private int NumericalDecision(double value, int node)
    {
        var missingType = MissingType(node);
        if (double.IsNaN(value) && missingType != GbdtMissingType.NaN)
        {
            value = 0.0;
        }

        if ((missingType == GbdtMissingType.Zero && Math.Abs(value) <= ZeroThreshold)
            || (missingType == GbdtMissingType.NaN && double.IsNaN(value)))
        {
            return IsDefaultLeft(node) ? LeftChild[node] : RightChild[node];
        }

        return value <= Threshold[node] ? LeftChild[node] : RightChild[node];
    }

    // LightGBM 4.x: NaN and negative values always go right; otherwise left iff the code is in the bitset.
    private int CategoricalDecision(double value, int node)
    {
        if (double.IsNaN(value))
        {
            return RightChild[node];
        }

        var code = (int)value;
        if (code < 0)
        {
            return RightChild[node];
        }

        var catIndex = (int)Threshold[node];
        var start = CatBoundaries[catIndex];
        var words = CatBoundaries[catIndex + 1] - start;
        var word = code / 32;
        if (word < words && (CatThreshold[start + word] & (1u << (code % 32))) != 0)
        {
            return LeftChild[node];
        }

        return RightChild[node];
    }
}
