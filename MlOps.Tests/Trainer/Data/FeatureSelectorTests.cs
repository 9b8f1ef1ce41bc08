using MlOps.Trainer;
using MlOps.Trainer.Data;

namespace MlOps.Tests.Trainer.Data;

public sealed class FeatureSelectorTests
{
    private const int Rows = 60;

    private static DataTable Table() => new(
    [
        new StringColumn("customer_id", Repeat(i => $"c{i % 3}")),
        new NumericColumn("amount", Repeat(i => i * 1.5)),
        new StringColumn("category", Repeat(i => i % 2 == 0 ? "a" : "b")),
        new TimestampColumn("when", Repeat<DateTime?>(i => new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddHours(i))),
        new StringColumn("note", Repeat(i => $"unique {i}")),
        new NumericColumn("empty", Repeat(_ => double.NaN)),
        new NumericColumn("same", Repeat(i => i % 2 == 0 ? 7.0 : double.NaN)),
        new NumericColumn("store", Repeat(i => (double)(i % 4))),
        new NumericColumn("label", Repeat(i => (double)(i % 2))),
    ]);

    private static T[] Repeat<T>(Func<int, T> value) => [.. Enumerable.Range(0, Rows).Select(value)];

    [Fact]
    public void Select_Defaults_AppliesAutomaticRules()
    {
        var selection = FeatureSelector.Select(Table(), "label", new FeatureSelectionOptions());

        Assert.Equal(
            [new FeatureSpec("amount", FeatureKind.Numeric), new FeatureSpec("category", FeatureKind.Categorical), new FeatureSpec("store", FeatureKind.Numeric)],
            selection.Features);
        Assert.Equal(
            [
                new ExcludedColumn("customer_id", "id-like"), new ExcludedColumn("when", "timestamp"), new ExcludedColumn("note", "id-like"),
                new ExcludedColumn("empty", "all values missing"), new ExcludedColumn("same", "constant"), new ExcludedColumn("label", "label"),
            ],
            selection.Excluded);
    }

    [Fact]
    public void Select_IncludeExcludeCategorical_OverrideRules()
    {
        var options = new FeatureSelectionOptions { Include = ["customer_id", "label"], Exclude = ["amount"], Categorical = ["store"] };

        var selection = FeatureSelector.Select(Table(), "label", options);

        Assert.Equal(["customer_id", "category", "store"], selection.Features.Select(f => f.Name));
        Assert.Equal(FeatureKind.Categorical, selection.Features.Single(f => f.Name == "store").Kind);
        Assert.Contains(new ExcludedColumn("label", "label"), selection.Excluded);
        Assert.Contains(selection.Excluded, e => e.Name == "amount");
    }

    [Fact]
    public void Select_MaxCategories_ExcludesHighCardinalityText()
    {
        var selection = FeatureSelector.Select(Table(), "label", new FeatureSelectionOptions { MaxCategories = 1 });

        Assert.Contains(new ExcludedColumn("category", "id-like"), selection.Excluded);
    }

    [Theory]
    [InlineData("id", true)]
    [InlineData("UUID", true)]
    [InlineData("order_id", true)]
    [InlineData("customerId", true)]
    [InlineData("row_key", true)]
    [InlineData("paid", false)]
    [InlineData("identity", false)]
    public void IsIdLikeName_Names_Classified(string name, bool expected) =>
        Assert.Equal(expected, FeatureSelector.IsIdLikeName(name));

    [Fact]
    public void Select_UnknownIncludedColumn_Throws()
    {
        var error = Assert.Throws<BadInputException>(() =>
            FeatureSelector.Select(Table(), "label", new FeatureSelectionOptions { Include = ["nope"] }));

        Assert.Contains("'nope'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Select_NothingLeft_Throws()
    {
        var table = new DataTable([new NumericColumn("label", [0, 1]), new NumericColumn("c", [3, 3])]);

        var error = Assert.Throws<BadInputException>(() => FeatureSelector.Select(table, "label", new FeatureSelectionOptions()));

        Assert.Contains("c: constant", error.Message, StringComparison.Ordinal);
    }
}
