using MlOps.Trainer;
using MlOps.Trainer.Data;

namespace MlOps.Tests.Trainer.Data;

public sealed class LabelResolverTests
{
    private static DataTable Text(params string?[] values) => new([new StringColumn("y", values), new NumericColumn("x", new double[values.Length])]);

    private static DataTable Numbers(params double[] values) => new([new NumericColumn("y", values)]);

    [Fact]
    public void Resolve_NumericZeroOne_PositiveIsOne()
    {
        var label = LabelResolver.Resolve(Numbers(0, 1, 1.0, 0), "y", null);

        Assert.Equal([0f, 1f, 1f, 0f], label.Labels);
        Assert.Equal(("1", "0", 2, 2), (label.PositiveValue, label.NegativeValue, label.PositiveCount, label.NegativeCount));
    }

    [Fact]
    public void Resolve_NumericMinusOneOne_PositiveIsOne()
    {
        var label = LabelResolver.Resolve(Numbers(1, -1, -1), "y", null);

        Assert.Equal([1f, 0f, 0f], label.Labels);
        Assert.Equal("-1", label.NegativeValue);
    }

    [Theory]
    [InlineData("legit", "fraud", "fraud")]
    [InlineData("no", "Yes", "Yes")]
    [InlineData("TRUE", "FALSE", "TRUE")]
    [InlineData("ham", "spam", "spam")]
    [InlineData("good", "bad", "bad")]
    [InlineData("stayed", "churn", "churn")]
    [InlineData("n", "other", "other")]
    public void Resolve_RecognisedTokens_PicksPositive(string first, string second, string expected)
    {
        var label = LabelResolver.Resolve(Text(first, second, first), "y", null);

        Assert.Equal(expected, label.PositiveValue);
        Assert.Equal(expected == second ? [0f, 1f, 0f] : [1f, 0f, 1f], label.Labels);
    }

    [Fact]
    public void Resolve_ExplicitPositive_OverridesInference()
    {
        var label = LabelResolver.Resolve(Text("cat", "dog", "dog"), "y", "cat");

        Assert.Equal([1f, 0f, 0f], label.Labels);
        Assert.Equal(("cat", "dog", 1, 2), (label.PositiveValue, label.NegativeValue, label.PositiveCount, label.NegativeCount));
    }

    [Fact]
    public void Resolve_ExplicitNumericPositiveWrittenDifferently_Matches()
    {
        var label = LabelResolver.Resolve(Numbers(0, 1, 0), "y", "0.0");

        Assert.Equal([1f, 0f, 1f], label.Labels);
        Assert.Equal("0", label.PositiveValue);
    }

    [Fact]
    public void Resolve_MissingColumn_ListsAvailableColumns()
    {
        var error = Assert.Throws<BadInputException>(() => LabelResolver.Resolve(Text("a", "b"), "target", null));

        Assert.Equal("Label column 'target' not found; available columns: y, x.", error.Message);
    }

    [Fact]
    public void Resolve_MissingValues_SaysHowManyAndFirstRow()
    {
        var error = Assert.Throws<BadInputException>(() => LabelResolver.Resolve(Numbers(0, 1, double.NaN, 1, double.NaN), "y", null));

        Assert.Contains("2 missing", error.Message, StringComparison.Ordinal);
        Assert.Contains("row 3", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_MoreThanTwoValues_ListsUpToFive()
    {
        var error = Assert.Throws<BadInputException>(() => LabelResolver.Resolve(Text("a", "b", "c", "d", "e", "f", "g"), "y", null));

        Assert.Contains("'a', 'b', 'c', 'd', 'e', ...", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("'f'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_OneClass_ThrowsNamingTheValue()
    {
        var error = Assert.Throws<BadInputException>(() => LabelResolver.Resolve(Numbers(1, 1, 1), "y", null));

        Assert.Contains("only one class ('1')", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("cat", "dog")]
    [InlineData("yes", "true")]
    [InlineData("2", "3")]
    public void Resolve_AmbiguousValues_SuggestsPositiveOption(string first, string second)
    {
        var error = Assert.Throws<BadInputException>(() => LabelResolver.Resolve(Text(first, second), "y", null));

        Assert.Contains("--positive", error.Message, StringComparison.Ordinal);
        Assert.Contains($"'{first}'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_PositiveNotInColumn_Throws()
    {
        var error = Assert.Throws<BadInputException>(() => LabelResolver.Resolve(Text("cat", "dog"), "y", "bird"));

        Assert.Contains("'bird'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'cat', 'dog'", error.Message, StringComparison.Ordinal);
    }
}
