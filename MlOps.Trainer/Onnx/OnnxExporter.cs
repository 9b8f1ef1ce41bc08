using Google.Protobuf;
using MlOps.Trainer.Onnx.Proto;

namespace MlOps.Trainer.Onnx;

/// <summary>
/// Turns a binary LightGBM model into an ONNX graph: one input per feature, categorical strings encoded to
/// codes with LabelEncoder, the trees as one ai.onnx.ml TreeEnsemble (opset 5), then sigmoid, threshold and
/// the outputs <c>label</c> (int64 [N]) and <c>probability</c> (float [N]).
/// </summary>
internal static class OnnxExporter
{
    public const string LabelOutput = "label";
    public const string ProbabilityOutput = "probability";
    public const string ProducerName = "mlops-trainer";
    public const long IrVersion = 10;
    public const long OnnxOpset = 21;
    public const long OnnxMlOpset = 5;
    public const string OnnxMlDomain = "ai.onnx.ml";

    private const string BatchDimension = "N";

    // TreeEnsemble (ai.onnx.ml opset 5) node modes.
    private const byte BranchLeq = 0;
    private const byte BranchMember = 6;

    public static ModelProto Export(GbdtModel model, OnnxExportSpec spec)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(spec);
        ValidateSpec(model, spec);

        var graph = new GraphProto
        {
            Name = spec.ModelName,
            DocString = $"LightGBM binary classifier ({model.Trees.Count} trees, objective '{model.Objective}').",
        };
        var names = new HashSet<string>(StringComparer.Ordinal);

        var featureColumns = new List<string>();
        foreach (var feature in spec.Features)
        {
            Claim(names, feature.Name);
            graph.Input.Add(TensorValueInfo(
                feature.Name,
                feature.IsCategorical ? TensorProto.Types.DataType.String : TensorProto.Types.DataType.Double,
                BatchDimension, 1));

            if (!feature.IsCategorical)
            {
                featureColumns.Add(feature.Name);
                continue;
            }

            var codeFloat = Claim(names, $"{feature.Name}/code_float");
            var code = Claim(names, $"{feature.Name}/code");
            var encode = Node("LabelEncoder", $"encode_{feature.Name}", [feature.Name], [codeFloat], OnnxMlDomain);
            encode.Attribute.Add(Strings("keys_strings", feature.Categories));
            encode.Attribute.Add(Floats("values_floats", Enumerable.Range(0, feature.Categories.Count).Select(i => (float)i)));
            encode.Attribute.Add(FloatAttr("default_float", -1f));
            graph.Node.Add(encode);
            graph.Node.Add(Cast($"cast_{feature.Name}", codeFloat, code, TensorProto.Types.DataType.Double));
            featureColumns.Add(code);
        }

        var features = Claim(names, "features");
        var concat = Node("Concat", "concat_features", featureColumns, [features]);
        concat.Attribute.Add(IntAttr("axis", 1));
        graph.Node.Add(concat);

        var rawScore = Claim(names, "raw_score");
        graph.Node.Add(TreeEnsemble(model, spec, features, rawScore));

        var score = rawScore;
        if (model.SigmoidCoefficient != 1.0)
        {
            var coefficient = Claim(names, "sigmoid_coefficient");
            graph.Initializer.Add(DoubleScalar(coefficient, model.SigmoidCoefficient));
            score = Claim(names, "scaled_score");
            graph.Node.Add(Node("Mul", "scale_raw_score", [rawScore, coefficient], [score]));
        }

        var probabilityDouble = Claim(names, "probability_double");
        graph.Node.Add(Node("Sigmoid", "sigmoid", [score], [probabilityDouble]));

        var flatShape = Claim(names, "flat_shape");
        graph.Initializer.Add(new TensorProto
        {
            Name = flatShape,
            DataType = (int)TensorProto.Types.DataType.Int64,
            Dims = { 1 },
            Int64Data = { -1 },
        });

        var threshold = Claim(names, "decision_threshold");
        graph.Initializer.Add(DoubleScalar(threshold, spec.DecisionThreshold));
        var isPositive = Claim(names, "is_positive");
        graph.Node.Add(Node("GreaterOrEqual", "apply_threshold", [probabilityDouble, threshold], [isPositive]));
        var labelColumn = Claim(names, "label_column");
        graph.Node.Add(Cast("cast_label", isPositive, labelColumn, TensorProto.Types.DataType.Int64));
        Claim(names, LabelOutput);
        graph.Node.Add(Node("Reshape", "flatten_label", [labelColumn, flatShape], [LabelOutput]));

        var probabilityColumn = Claim(names, "probability_column");
        graph.Node.Add(Cast("cast_probability", probabilityDouble, probabilityColumn, TensorProto.Types.DataType.Float));
        Claim(names, ProbabilityOutput);
        graph.Node.Add(Node("Reshape", "flatten_probability", [probabilityColumn, flatShape], [ProbabilityOutput]));

        graph.Output.Add(TensorValueInfo(LabelOutput, TensorProto.Types.DataType.Int64, BatchDimension));
        graph.Output.Add(TensorValueInfo(ProbabilityOutput, TensorProto.Types.DataType.Float, BatchDimension));

        var result = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = ProducerName,
            ProducerVersion = spec.ProducerVersion,
            ModelVersion = 1,
            Graph = graph,
            OpsetImport =
            {
                new OperatorSetIdProto { Domain = string.Empty, Version = OnnxOpset },
                new OperatorSetIdProto { Domain = OnnxMlDomain, Version = OnnxMlOpset },
            },
        };
        foreach (var (key, value) in spec.Metadata.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            result.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        }

        return result;
    }

    /// <summary>The serialized model. Deterministic: the same model and spec always give the same bytes.</summary>
    public static byte[] ToBytes(ModelProto model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return model.ToByteArray();
    }

    private static void ValidateSpec(GbdtModel model, OnnxExportSpec spec)
    {
        if (spec.Features.Count != model.FeatureCount)
        {
            throw new ArgumentException(
                $"The spec lists {spec.Features.Count} features but the model has {model.FeatureCount}.", nameof(spec));
        }

        if (string.IsNullOrWhiteSpace(spec.ModelName))
        {
            throw new ArgumentException("The spec needs a model name.", nameof(spec));
        }

        if (!double.IsFinite(spec.DecisionThreshold))
        {
            throw new ArgumentException("The decision threshold must be a finite number.", nameof(spec));
        }

        foreach (var feature in spec.Features)
        {
            if (string.IsNullOrEmpty(feature.Name))
            {
                throw new ArgumentException("Every feature needs a name.", nameof(spec));
            }

            if (!feature.IsCategorical && feature.Categories.Count > 0)
            {
                throw new ArgumentException($"Numeric feature '{feature.Name}' must not list categories.", nameof(spec));
            }

            if (feature.IsCategorical && feature.Categories.Count == 0)
            {
                throw new ArgumentException($"Categorical feature '{feature.Name}' lists no categories.", nameof(spec));
            }

            if (feature.IsCategorical && feature.Categories.Any(c => c is null))
            {
                throw new ArgumentException($"Categorical feature '{feature.Name}' lists a null category.", nameof(spec));
            }

            if (feature.IsCategorical && feature.Categories.Distinct(StringComparer.Ordinal).Count() != feature.Categories.Count)
            {
                throw new ArgumentException($"Categorical feature '{feature.Name}' lists a category twice.", nameof(spec));
            }

            if (feature.IsCategorical && feature.Categories.Count > (1 << 24))
            {
                throw new ArgumentException(
                    $"Categorical feature '{feature.Name}' has more categories than float codes can represent exactly.",
                    nameof(spec));
            }
        }

        for (var t = 0; t < model.Trees.Count; t++)
        {
            var tree = model.Trees[t];
            for (var node = 0; node < tree.InternalNodeCount; node++)
            {
                var feature = spec.Features[tree.SplitFeature[node]];
                if (tree.IsCategorical(node) != feature.IsCategorical)
                {
                    throw new ArgumentException(
                        $"Tree {t} node {node} is a {(tree.IsCategorical(node) ? "categorical" : "numerical")} split on " +
                        $"feature '{feature.Name}', which the spec declares {(feature.IsCategorical ? "categorical" : "numeric")}.",
                        nameof(spec));
                }
            }
        }
    }

    private static NodeProto TreeEnsemble(GbdtModel model, OnnxExportSpec spec, string input, string output)
    {
        var featureIds = new List<long>();
        var splits = new List<double>();
        var modes = new List<byte>();
        var trueIds = new List<long>();
        var trueLeafs = new List<long>();
        var falseIds = new List<long>();
        var falseLeafs = new List<long>();
        var missingTracksTrue = new List<long>();
        var membership = new List<double>();
        var leafWeights = new List<double>();
        var roots = new List<long>();

        void AddChild(List<long> ids, List<long> isLeaf, int child, int nodeOffset, int leafOffset)
        {
            ids.Add(child >= 0 ? nodeOffset + child : leafOffset + ~child);
            isLeaf.Add(child >= 0 ? 0 : 1);
        }

        for (var t = 0; t < model.Trees.Count; t++)
        {
            var tree = model.Trees[t];
            var nodeOffset = featureIds.Count;
            var leafOffset = leafWeights.Count;
            roots.Add(nodeOffset);

            if (tree.NumLeaves == 1)
            {
                // TreeEnsemble roots must be nodes: a split that sends every row to a leaf of the same value.
                featureIds.Add(0);
                splits.Add(0);
                modes.Add(BranchLeq);
                trueIds.Add(leafOffset);
                trueLeafs.Add(1);
                falseIds.Add(leafOffset + 1);
                falseLeafs.Add(1);
                missingTracksTrue.Add(0);
                leafWeights.Add(tree.LeafValue[0]);
                leafWeights.Add(tree.LeafValue[0]);
                continue;
            }

            for (var node = 0; node < tree.InternalNodeCount; node++)
            {
                featureIds.Add(tree.SplitFeature[node]);
                AddChild(trueIds, trueLeafs, tree.LeftChild[node], nodeOffset, leafOffset);
                AddChild(falseIds, falseLeafs, tree.RightChild[node], nodeOffset, leafOffset);

                if (tree.IsCategorical(node))
                {
                    var codes = tree.CategorySet(node);
                    if (codes.Count == 0)
                    {
                        // An empty left set sends every row right; codes are never below -1.
                        modes.Add(BranchLeq);
                        splits.Add(-2.0);
                        missingTracksTrue.Add(0);
                        continue;
                    }

                    if (membership.Count > 0)
                    {
                        membership.Add(double.NaN);
                    }

                    membership.AddRange(codes.Select(c => (double)c));
                    modes.Add(BranchMember);
                    splits.Add(codes[0]);
                    missingTracksTrue.Add(0);
                    continue;
                }

                modes.Add(BranchLeq);
                var threshold = tree.Threshold[node];
                splits.Add(threshold);
                missingTracksTrue.Add(tree.MissingType(node) switch
                {
                    GbdtMissingType.NaN => tree.IsDefaultLeft(node) ? 1 : 0,
                    // LightGBM turns NaN into 0 for these splits, so NaN goes where 0 goes.
                    GbdtMissingType.None => 0.0 <= threshold ? 1 : 0,
                    _ => throw new NotSupportedException(
                        $"Tree {t} node {node} on feature '{spec.Features[tree.SplitFeature[node]].Name}' treats zero " +
                        "as missing (zero_as_missing=true), which the ONNX export does not support."),
                });
            }

            leafWeights.AddRange(tree.LeafValue);
        }

        var ensemble = Node("TreeEnsemble", "trees", [input], [output], OnnxMlDomain);
        ensemble.Attribute.Add(IntAttr("aggregate_function", 1));
        ensemble.Attribute.Add(Ints("leaf_targetids", leafWeights.Select(_ => 0L)));
        ensemble.Attribute.Add(TensorAttr("leaf_weights", DoubleTensor("leaf_weights", leafWeights)));
        if (membership.Count > 0)
        {
            ensemble.Attribute.Add(TensorAttr("membership_values", DoubleTensor("membership_values", membership)));
        }

        ensemble.Attribute.Add(IntAttr("n_targets", 1));
        ensemble.Attribute.Add(Ints("nodes_falseleafs", falseLeafs));
        ensemble.Attribute.Add(Ints("nodes_falsenodeids", falseIds));
        ensemble.Attribute.Add(Ints("nodes_featureids", featureIds));
        ensemble.Attribute.Add(Ints("nodes_missing_value_tracks_true", missingTracksTrue));
        ensemble.Attribute.Add(TensorAttr("nodes_modes", new TensorProto
        {
            Name = "nodes_modes",
            DataType = (int)TensorProto.Types.DataType.Uint8,
            Dims = { modes.Count },
            RawData = ByteString.CopyFrom([.. modes]),
        }));
        ensemble.Attribute.Add(TensorAttr("nodes_splits", DoubleTensor("nodes_splits", splits)));
        ensemble.Attribute.Add(Ints("nodes_trueleafs", trueLeafs));
        ensemble.Attribute.Add(Ints("nodes_truenodeids", trueIds));
        ensemble.Attribute.Add(IntAttr("post_transform", 0));
        ensemble.Attribute.Add(Ints("tree_roots", roots));
        return ensemble;
    }

    private static string Claim(HashSet<string> names, string name) =>
        names.Add(name)
            ? name
            : throw new ArgumentException(
                $"The graph name '{name}' is used twice; rename the feature that collides with it.");

    private static NodeProto Node(
        string opType, string name, IEnumerable<string> inputs, IEnumerable<string> outputs, string domain = "")
    {
        var node = new NodeProto { OpType = opType, Name = name };
        if (domain.Length > 0)
        {
            node.Domain = domain;
        }

        node.Input.AddRange(inputs);
        node.Output.AddRange(outputs);
        return node;
    }

    private static NodeProto Cast(string name, string input, string output, TensorProto.Types.DataType to)
    {
        var node = Node("Cast", name, [input], [output]);
        node.Attribute.Add(IntAttr("to", (int)to));
        return node;
    }

    private static ValueInfoProto TensorValueInfo(string name, TensorProto.Types.DataType type, params object[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (var dim in dims)
        {
            shape.Dim.Add(dim switch
            {
                string param => new TensorShapeProto.Types.Dimension { DimParam = param },
                int value => new TensorShapeProto.Types.Dimension { DimValue = value },
                _ => throw new ArgumentException($"Unsupported dimension {dim}.", nameof(dims)),
            });
        }

        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = shape } },
        };
    }

    private static TensorProto DoubleScalar(string name, double value) => new()
    {
        Name = name,
        DataType = (int)TensorProto.Types.DataType.Double,
        DoubleData = { value },
    };

    private static TensorProto DoubleTensor(string name, List<double> values) => new()
    {
        Name = name,
        DataType = (int)TensorProto.Types.DataType.Double,
        Dims = { values.Count },
        DoubleData = { values },
    };

    private static AttributeProto IntAttr(string name, long value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    private static AttributeProto FloatAttr(string name, float value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };

    private static AttributeProto Ints(string name, IEnumerable<long> values) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Ints, Ints = { values } };

    private static AttributeProto Floats(string name, IEnumerable<float> values) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Floats, Floats = { values } };

    private static AttributeProto Strings(string name, IEnumerable<string> values) =>
        new()
        {
            Name = name,
            Type = AttributeProto.Types.AttributeType.Strings,
            Strings = { values.Select(ByteString.CopyFromUtf8) },
        };

    private static AttributeProto TensorAttr(string name, TensorProto tensor) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Tensor, T = tensor };
}
