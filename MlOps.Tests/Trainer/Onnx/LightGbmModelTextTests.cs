using MlOps.Trainer.Onnx;

namespace MlOps.Tests.Trainer.Onnx;

public class LightGbmModelTextTests
{
    [Fact]
    public void Parse_NumericFixture_ReadsHeaderAndTrees()
    {
        var model = OnnxFixtures.Model(OnnxFixtures.Numeric);

        Assert.Equal(4, model.FeatureCount);
        Assert.Equal(["amount", "age", "balance", "score"], model.FeatureNames);
        Assert.Equal("binary sigmoid:1", model.Objective);
        Assert.Equal(1.0, model.SigmoidCoefficient);
        Assert.Equal(3, model.Trees.Count);

        var first = model.Trees[0];
        Assert.Equal(4, first.NumLeaves);
        Assert.Equal([0, 1, 2], first.SplitFeature);
        Assert.Equal([10.5, -2.25, 3.75], first.Threshold);
        Assert.Equal([1, -1, -3], first.LeftChild);
        Assert.Equal([2, -2, -4], first.RightChild);
        Assert.Equal(0.45, first.LeafValue[2]);
        Assert.True(first.IsDefaultLeft(0));
        Assert.Equal(GbdtMissingType.NaN, first.MissingType(0));
        Assert.Equal(GbdtMissingType.None, first.MissingType(1));
        Assert.False(first.IsDefaultLeft(2));

        Assert.Equal(0.1, model.Trees[1].Shrinkage);
        Assert.Equal(1, model.Trees[2].NumLeaves);
        Assert.Equal([0.07], model.Trees[2].LeafValue);
    }

    [Fact]
    public void Parse_CategoricalFixture_DecodesBitsetsIncludingSecondAndThirdWords()
    {
        var model = OnnxFixtures.Model(OnnxFixtures.Categorical);

        Assert.Equal(0.7, model.SigmoidCoefficient);
        Assert.True(model.Trees[0].IsCategorical(0));
        Assert.Equal([1, 3, 40], model.Trees[0].CategorySet(0));
        Assert.Equal([0, 2], model.Trees[0].CategorySet(1));
        Assert.Equal([5, 7, 31], model.Trees[1].CategorySet(1));
        Assert.Equal([64, 70], model.Trees[2].CategorySet(0));
    }

    [Fact]
    public void Parse_RegressionObjective_ThrowsFormatExceptionNamingTheObjective()
    {
        var error = Assert.Throws<FormatException>(() => OnnxFixtures.Model(OnnxFixtures.Regression));

        Assert.Contains("regression", error.Message, StringComparison.Ordinal);
        Assert.Contains("binary", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_LinearTree_ThrowsFormatException()
    {
        var text = ReplaceFirst(OnnxFixtures.Text(OnnxFixtures.Numeric), "is_linear=0", "is_linear=1");

        var error = Assert.Throws<FormatException>(() => LightGbmModelText.Parse(text));

        Assert.Contains("linear", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_MulticlassModel_ThrowsFormatException()
    {
        var text = OnnxFixtures.Text(OnnxFixtures.Numeric).Replace("num_class=1", "num_class=3", StringComparison.Ordinal);

        Assert.Throws<FormatException>(() => LightGbmModelText.Parse(text));
    }

    [Fact]
    public void Parse_TextWithoutEndOfTrees_ThrowsFormatException()
    {
        var text = OnnxFixtures.Text(OnnxFixtures.Numeric);
        text = text[..text.IndexOf("end of trees", StringComparison.Ordinal)];

        Assert.Throws<FormatException>(() => LightGbmModelText.Parse(text));
    }

    [Fact]
    public void Parse_ChildReferencedTwice_ThrowsFormatException()
    {
        var text = OnnxFixtures.Text(OnnxFixtures.Numeric)
            .Replace("right_child=2 -2 -4", "right_child=2 -2 -3", StringComparison.Ordinal);

        var error = Assert.Throws<FormatException>(() => LightGbmModelText.Parse(text));

        Assert.Contains("Tree=0", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_WrongNumberOfThresholds_ThrowsFormatException()
    {
        var text = OnnxFixtures.Text(OnnxFixtures.Numeric)
            .Replace("threshold=10.5 -2.25 3.75", "threshold=10.5 -2.25", StringComparison.Ordinal);

        var error = Assert.Throws<FormatException>(() => LightGbmModelText.Parse(text));

        Assert.Contains("threshold", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_WindowsLineEndings_ParsesTheSameModel()
    {
        var text = OnnxFixtures.Text(OnnxFixtures.Numeric).Replace("\n", "\r\n", StringComparison.Ordinal);

        var model = LightGbmModelText.Parse(text);

        Assert.Equal(3, model.Trees.Count);
        Assert.Equal([10.5, -2.25, 3.75], model.Trees[0].Threshold);
    }

    internal static string ReplaceFirst(string text, string oldValue, string newValue)
    {
        var at = text.IndexOf(oldValue, StringComparison.Ordinal);
        Assert.True(at >= 0, $"'{oldValue}' is not in the text.");
        return string.Concat(text.AsSpan(0, at), newValue, text.AsSpan(at + oldValue.Length));
    }
}
