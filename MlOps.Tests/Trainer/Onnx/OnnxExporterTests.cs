using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using MlOps.Trainer.Onnx;

namespace MlOps.Tests.Trainer.Onnx;

public class OnnxExporterTests
{
    private const double ProbabilityTolerance = 1e-6;

    [Theory]
    [InlineData(0.5, 1)]
    [InlineData(0.52, 2)]
    [InlineData(0.6, 3)]
    public void Export_NumericFixture_MatchesReferenceOnRandomRows(double threshold, int seed)
    {
        AssertParity(OnnxFixtures.Model(OnnxFixtures.Numeric), OnnxFixtures.NumericSpec(threshold), seed);
    }

    [Theory]
    [InlineData(0.5, 4)]
    [InlineData(0.55, 5)]
    public void Export_CategoricalFixtureWithSigmoidCoefficient_MatchesReferenceOnRandomRows(double threshold, int seed)
    {
        AssertParity(OnnxFixtures.Model(OnnxFixtures.Categorical), OnnxFixtures.CategoricalSpec(threshold), seed);
    }

    [Fact]
    public void Export_CategoricalFixture_UnknownEmptyAndNullCategoriesScoreLikeCodeMinusOne()
    {
        var model = OnnxFixtures.Model(OnnxFixtures.Categorical);
        var spec = OnnxFixtures.CategoricalSpec();
        using var scorer = new OnnxScorer(OnnxExporter.ToBytes(OnnxExporter.Export(model, spec)), spec.Features);

        var (_, probabilities, _) = scorer.Score(
            new Dictionary<string, double[]> { ["amount"] = [0, 0, 0, 0, 0] },
            new Dictionary<string, string[]>
            {
                ["merchant_category"] = ["m40", string.Empty, "zz-unknown", null!, "m70"],
                ["country"] = ["AT", "XX", string.Empty, null!, "DE"],
            },
            5);

        Assert.Equal(model.PredictProbability([0, 40, 4]), probabilities[0], ProbabilityTolerance);
        var missing = model.PredictProbability([0, -1, -1]);
        Assert.Equal(missing, probabilities[1], ProbabilityTolerance);
        Assert.Equal(missing, probabilities[2], ProbabilityTolerance);
        Assert.Equal(missing, probabilities[3], ProbabilityTolerance);
        Assert.Equal(model.PredictProbability([0, 70, 0]), probabilities[4], ProbabilityTolerance);
        Assert.NotEqual(probabilities[0], probabilities[1], 1e-3);
    }

    [Fact]
    public void Export_OnlySingleLeafTrees_ScoresTheConstant()
    {
        var text = OnnxFixtures.Text(OnnxFixtures.Numeric);
        var start = text.IndexOf("Tree=0", StringComparison.Ordinal);
        var end = text.IndexOf("Tree=2", StringComparison.Ordinal);
        text = string.Concat(text.AsSpan(0, start), text.AsSpan(end).ToString().Replace("Tree=2", "Tree=0", StringComparison.Ordinal));
        var model = LightGbmModelText.Parse(text);
        Assert.Single(model.Trees);
        var spec = OnnxFixtures.NumericSpec(threshold: 0.5);
        var rows = new RandomRows(spec.Features, 50, seed: 6);

        using var scorer = new OnnxScorer(OnnxExporter.ToBytes(OnnxExporter.Export(model, spec)), spec.Features);
        var (labels, probabilities, _) = scorer.Score(rows.Numeric, rows.Categorical, rows.Rows);

        var expected = 1.0 / (1.0 + Math.Exp(-0.07));
        Assert.All(probabilities, p => Assert.Equal(expected, p, ProbabilityTolerance));
        Assert.All(labels, l => Assert.Equal(1L, l));
    }

    [Fact]
    public void ToBytes_TwoExportsOfTheSameModel_AreIdentical()
    {
        var first = OnnxExporter.ToBytes(OnnxExporter.Export(
            OnnxFixtures.Model(OnnxFixtures.Categorical), OnnxFixtures.CategoricalSpec()));
        var second = OnnxExporter.ToBytes(OnnxExporter.Export(
            OnnxFixtures.Model(OnnxFixtures.Categorical), OnnxFixtures.CategoricalSpec()));

        Assert.Equal(first, second);
    }

    [Fact]
    public void ToBytes_DifferentThreshold_ChangesTheBytes()
    {
        var model = OnnxFixtures.Model(OnnxFixtures.Numeric);

        var first = OnnxExporter.ToBytes(OnnxExporter.Export(model, OnnxFixtures.NumericSpec(0.5)));
        var second = OnnxExporter.ToBytes(OnnxExporter.Export(model, OnnxFixtures.NumericSpec(0.6)));

        Assert.NotEqual(first, second);
    }

    [Fact]
    public void Export_CategoricalSpec_GraphInputsAndOutputsHaveExpectedNamesAndTypes()
    {
        var bytes = OnnxExporter.ToBytes(OnnxExporter.Export(
            OnnxFixtures.Model(OnnxFixtures.Categorical), OnnxFixtures.CategoricalSpec()));

        using var session = new InferenceSession(bytes);

        Assert.Equal(["amount", "merchant_category", "country"], session.InputNames);
        Assert.Equal(TensorElementType.Double, session.InputMetadata["amount"].ElementDataType);
        Assert.Equal(TensorElementType.String, session.InputMetadata["merchant_category"].ElementDataType);
        Assert.Equal(TensorElementType.String, session.InputMetadata["country"].ElementDataType);
        Assert.Equal(["N", ""], session.InputMetadata["amount"].SymbolicDimensions);
        Assert.Equal([-1, 1], session.InputMetadata["amount"].Dimensions);
        Assert.Equal(["label", "probability"], session.OutputNames);
        Assert.Equal(TensorElementType.Int64, session.OutputMetadata["label"].ElementDataType);
        Assert.Equal(TensorElementType.Float, session.OutputMetadata["probability"].ElementDataType);
        Assert.Single(session.OutputMetadata["probability"].Dimensions);
    }

    [Fact]
    public void Export_CategoricalSpec_WritesReadableGraphAndSortedMetadata()
    {
        var model = OnnxExporter.Export(OnnxFixtures.Model(OnnxFixtures.Categorical), OnnxFixtures.CategoricalSpec());

        var nodeNames = model.Graph.Node.Select(n => n.Name).ToList();
        Assert.Contains("encode_merchant_category", nodeNames);
        Assert.Contains("encode_country", nodeNames);
        Assert.Contains("trees", nodeNames);
        Assert.Contains("scale_raw_score", nodeNames);
        Assert.Contains("sigmoid", nodeNames);
        Assert.Equal(nodeNames.Count, nodeNames.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal("fraud_model", model.Graph.Name);
        Assert.Equal(10, model.IrVersion);
        Assert.Equal("1.2.3-test", model.ProducerVersion);
        Assert.Equal(["algorithm", "decision_threshold", "target"], model.MetadataProps.Select(p => p.Key));
        Assert.Contains(model.OpsetImport, o => o.Domain == "ai.onnx.ml" && o.Version == 5);
        Assert.Contains(model.OpsetImport, o => o.Domain == string.Empty && o.Version == 21);
    }

    [Fact]
    public void Export_SigmoidCoefficientOne_HasNoScalingNode()
    {
        var model = OnnxExporter.Export(OnnxFixtures.Model(OnnxFixtures.Numeric), OnnxFixtures.NumericSpec());

        Assert.DoesNotContain(model.Graph.Node, n => n.OpType == "Mul");
    }

    [Fact]
    public void Export_ZeroAsMissingSplit_ThrowsNotSupportedException()
    {
        var text = OnnxFixtures.Text(OnnxFixtures.Numeric)
            .Replace("decision_type=10 0 8", "decision_type=6 0 8", StringComparison.Ordinal);
        var model = LightGbmModelText.Parse(text);

        var error = Assert.Throws<NotSupportedException>(() => OnnxExporter.Export(model, OnnxFixtures.NumericSpec()));

        Assert.Contains("amount", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Export_SpecWithWrongFeatureCount_ThrowsArgumentException()
    {
        var spec = OnnxFixtures.Spec([OnnxFeature.Numeric("amount")]);

        Assert.Throws<ArgumentException>(() => OnnxExporter.Export(OnnxFixtures.Model(OnnxFixtures.Numeric), spec));
    }

    [Fact]
    public void Export_CategoricalSplitOnFeatureDeclaredNumeric_ThrowsArgumentException()
    {
        var spec = OnnxFixtures.Spec(
            [OnnxFeature.Numeric("amount"), OnnxFeature.Numeric("merchant_category"), OnnxFeature.Categorical("country", OnnxFixtures.Countries)]);

        var error = Assert.Throws<ArgumentException>(() => OnnxExporter.Export(OnnxFixtures.Model(OnnxFixtures.Categorical), spec));

        Assert.Contains("merchant_category", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Export_FeatureNamedLikeAnOutput_ThrowsArgumentException()
    {
        var spec = OnnxFixtures.Spec(
            [OnnxFeature.Numeric("amount"), OnnxFeature.Numeric("age"), OnnxFeature.Numeric("probability"), OnnxFeature.Numeric("score")]);

        var error = Assert.Throws<ArgumentException>(() => OnnxExporter.Export(OnnxFixtures.Model(OnnxFixtures.Numeric), spec));

        Assert.Contains("probability", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Export_CategoricalFeatureWithoutCategories_ThrowsArgumentException()
    {
        var spec = OnnxFixtures.Spec(
            [OnnxFeature.Numeric("amount"), OnnxFeature.Categorical("merchant_category", []), OnnxFeature.Categorical("country", OnnxFixtures.Countries)]);

        var error = Assert.Throws<ArgumentException>(() => OnnxExporter.Export(OnnxFixtures.Model(OnnxFixtures.Categorical), spec));

        Assert.Contains("merchant_category", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToBytes_ExportedModel_RoundTripsThroughTheProtobufParser()
    {
        var model = OnnxExporter.Export(OnnxFixtures.Model(OnnxFixtures.Categorical), OnnxFixtures.CategoricalSpec());

        var parsed = MlOps.Trainer.Onnx.Proto.ModelProto.Parser.ParseFrom(OnnxExporter.ToBytes(model));

        Assert.Equal(model, parsed);
        var trees = Assert.Single(parsed.Graph.Node, n => n.Name == "trees");
        Assert.Equal("ai.onnx.ml", trees.Domain);
        Assert.Equal(3, trees.Attribute.Single(a => a.Name == "tree_roots").Ints.Count);
    }

    private static void AssertParity(GbdtModel model, OnnxExportSpec spec, int seed)
    {
        var bytes = OnnxExporter.ToBytes(OnnxExporter.Export(model, spec));
        var rows = new RandomRows(spec.Features, 400, seed);
        using var scorer = new OnnxScorer(bytes, spec.Features);

        var (labels, probabilities, _) = scorer.Score(rows.Numeric, rows.Categorical, rows.Rows);

        Assert.Equal(rows.Rows, labels.Length);
        Assert.Equal(rows.Rows, probabilities.Length);
        var expected = rows.Vectors.Select(v => model.PredictProbability(v)).ToArray();
        for (var i = 0; i < rows.Rows; i++)
        {
            Assert.True(
                Math.Abs(expected[i] - probabilities[i]) <= ProbabilityTolerance,
                $"Row {i} [{string.Join(", ", rows.Vectors[i])}]: expected {expected[i]}, ONNX gave {probabilities[i]}.");
            Assert.Equal(expected[i] >= spec.DecisionThreshold ? 1L : 0L, labels[i]);
        }

        // The rows must exercise the model: several distinct scores and both labels.
        Assert.True(expected.Distinct().Count() >= 5, "The random rows reach too few leaves.");
        Assert.Contains(0L, labels);
        Assert.Contains(1L, labels);
    }
}
