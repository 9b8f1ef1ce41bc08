namespace MlOps.Trainer.Onnx;

/// <summary>One model input as the ONNX graph exposes it.</summary>
/// <param name="Name">The graph input name (the column name callers send).</param>
/// <param name="IsCategorical">True for a string input encoded to category codes inside the graph.</param>
/// <param name="Categories">
/// For a categorical feature, the known values; a value's code is its index here. Anything else (missing,
/// empty or unseen) gets code -1, as the trainer encodes it. Empty for numeric features.
/// </param>
internal sealed record OnnxFeature(string Name, bool IsCategorical, IReadOnlyList<string> Categories)
{
    public static OnnxFeature Numeric(string name) => new(name, false, []);

    public static OnnxFeature Categorical(string name, IReadOnlyList<string> categories) => new(name, true, categories);
}

/// <summary>What the exporter needs besides the trees.</summary>
/// <param name="Features">The inputs, in the model's feature order.</param>
/// <param name="DecisionThreshold">A row's label is 1 when its probability is at least this.</param>
/// <param name="ModelName">The graph name.</param>
/// <param name="ProducerVersion">Written to producer_version.</param>
/// <param name="Metadata">Written to metadata_props, sorted by key.</param>
internal sealed record OnnxExportSpec(
    IReadOnlyList<OnnxFeature> Features,
    double DecisionThreshold,
    string ModelName,
    string ProducerVersion,
    IReadOnlyDictionary<string, string> Metadata);
