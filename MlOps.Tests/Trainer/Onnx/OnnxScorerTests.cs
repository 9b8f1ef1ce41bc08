using MlOps.Trainer.Onnx;

namespace MlOps.Tests.Trainer.Onnx;

public class OnnxScorerTests
{
    [Fact]
    public void Score_RowsSpanningSeveralChunks_MatchesOneChunk()
    {
        var model = OnnxFixtures.Model(OnnxFixtures.Categorical);
        var spec = OnnxFixtures.CategoricalSpec();
        var bytes = OnnxExporter.ToBytes(OnnxExporter.Export(model, spec));
        var rows = new RandomRows(spec.Features, 1_000, seed: 11);
        using var chunked = new OnnxScorer(bytes, spec.Features, intraOpThreads: 1, chunkRows: 128);
        using var whole = new OnnxScorer(bytes, spec.Features, intraOpThreads: 1, chunkRows: 4_096);

        var (chunkedLabels, chunkedProbabilities, _) = chunked.Score(rows.Numeric, rows.Categorical, rows.Rows);
        var (wholeLabels, wholeProbabilities, _) = whole.Score(rows.Numeric, rows.Categorical, rows.Rows);

        Assert.Equal(wholeLabels, chunkedLabels);
        Assert.Equal(wholeProbabilities, chunkedProbabilities);
        var expected = rows.Vectors.Select(v => (float)model.PredictProbability(v)).ToArray();
        Assert.Equal(expected[999], chunkedProbabilities[999], 1e-6f);
        Assert.Equal(expected[128], chunkedProbabilities[128], 1e-6f);
    }

    [Fact]
    public void Score_TwoHundredThousandRowsWithDefaultChunks_MatchesReference()
    {
        var model = OnnxFixtures.Model(OnnxFixtures.Categorical);
        var spec = OnnxFixtures.CategoricalSpec();
        var rows = new RandomRows(spec.Features, 200_000, seed: 12);
        using var scorer = new OnnxScorer(OnnxExporter.ToBytes(OnnxExporter.Export(model, spec)), spec.Features);

        var (labels, probabilities, _) = scorer.Score(rows.Numeric, rows.Categorical, rows.Rows);

        Assert.Equal(rows.Rows, probabilities.Length);
        var worst = 0.0;
        for (var i = 0; i < rows.Rows; i++)
        {
            var expected = model.PredictProbability(rows.Vectors[i]);
            worst = Math.Max(worst, Math.Abs(expected - probabilities[i]));
            Assert.Equal(expected >= spec.DecisionThreshold ? 1L : 0L, labels[i]);
        }

        Assert.True(worst <= 1e-6, $"Largest probability difference {worst}.");
    }

    [Fact]
    public void Score_ZeroRows_ReturnsEmptyArrays()
    {
        var spec = OnnxFixtures.NumericSpec();
        using var scorer = new OnnxScorer(
            OnnxExporter.ToBytes(OnnxExporter.Export(OnnxFixtures.Model(OnnxFixtures.Numeric), spec)), spec.Features);
        var rows = new RandomRows(spec.Features, 0, seed: 1);

        var (labels, probabilities, _) = scorer.Score(rows.Numeric, rows.Categorical, 0);

        Assert.Empty(labels);
        Assert.Empty(probabilities);
    }

    [Fact]
    public void Constructor_FeatureDeclaredWithWrongType_ThrowsNamingTheInput()
    {
        var spec = OnnxFixtures.CategoricalSpec();
        var bytes = OnnxExporter.ToBytes(OnnxExporter.Export(OnnxFixtures.Model(OnnxFixtures.Categorical), spec));
        OnnxFeature[] wrong = [OnnxFeature.Numeric("amount"), OnnxFeature.Numeric("merchant_category"), spec.Features[2]];

        var error = Assert.Throws<InvalidOperationException>(() => new OnnxScorer(bytes, wrong));

        Assert.Contains("merchant_category", error.Message, StringComparison.Ordinal);
        Assert.Contains("Double", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_FeatureMissingFromModel_ThrowsNamingTheInput()
    {
        var spec = OnnxFixtures.NumericSpec();
        var bytes = OnnxExporter.ToBytes(OnnxExporter.Export(OnnxFixtures.Model(OnnxFixtures.Numeric), spec));
        OnnxFeature[] features = [.. spec.Features.Take(3), OnnxFeature.Numeric("tenure")];

        var error = Assert.Throws<InvalidOperationException>(() => new OnnxScorer(bytes, features));

        Assert.Contains("'tenure' is missing", error.Message, StringComparison.Ordinal);
        Assert.Contains("'score'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Score_MissingColumn_ThrowsArgumentException()
    {
        var spec = OnnxFixtures.NumericSpec();
        using var scorer = new OnnxScorer(
            OnnxExporter.ToBytes(OnnxExporter.Export(OnnxFixtures.Model(OnnxFixtures.Numeric), spec)), spec.Features);
        var rows = new RandomRows(spec.Features, 10, seed: 2);
        rows.Numeric.Remove("balance");

        var error = Assert.Throws<ArgumentException>(() => scorer.Score(rows.Numeric, rows.Categorical, 10));

        Assert.Contains("balance", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Score_ColumnShorterThanRows_ThrowsArgumentException()
    {
        var spec = OnnxFixtures.NumericSpec();
        using var scorer = new OnnxScorer(
            OnnxExporter.ToBytes(OnnxExporter.Export(OnnxFixtures.Model(OnnxFixtures.Numeric), spec)), spec.Features);
        var rows = new RandomRows(spec.Features, 10, seed: 3);

        Assert.Throws<ArgumentException>(() => scorer.Score(rows.Numeric, rows.Categorical, 11));
    }
}
