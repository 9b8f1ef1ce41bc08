using MlOps.Tests.Infrastructure;
using MlOps.Trainer.Data;
using MlOps.Trainer.Reporting;

namespace MlOps.Tests.Trainer.Evaluation;

public sealed class ReferenceStatisticsTests
{
    [Fact]
    public void Compute_NumericWithMissing_MatchesHandWorkedStatistics()
    {
        var stats = ReferenceStatistics.Compute([ReferenceFeatureInput.FromNumeric("amount", [4, 2, double.NaN, 1, 3])]);

        var feature = Assert.Single(stats.Features);
        Assert.Equal("numeric", feature.Kind);
        var numeric = Assert.IsType<NumericStatistics>(feature.Numeric);
        Assert.Null(feature.Categorical);
        Assert.Equal(5, numeric.Count);
        Assert.Equal(1, numeric.Missing);
        Assert.Equal(2.5, numeric.Mean);
        // Sample std: squared deviations 2.25 + 0.25 + 0.25 + 2.25 = 5, / (4 − 1) → √(5/3) = 1.2909944.
        Assert.Equal(1.2909944, numeric.Std!.Value, 6);
        Assert.Equal(1, numeric.Min);
        Assert.Equal(4, numeric.Max);
        // Sorted [1, 2, 3, 4], position q·3: p01 → 0.03 → 1.03; p25 → 0.75 → 1.75; p50 → 1.5 → 2.5; p75 → 2.25 → 3.25; p99 → 2.97 → 3.97.
        Assert.Equal(1.03, numeric.P01!.Value, 12);
        Assert.Equal(1.75, numeric.P25!.Value, 12);
        Assert.Equal(2.5, numeric.P50!.Value, 12);
        Assert.Equal(3.25, numeric.P75!.Value, 12);
        Assert.Equal(3.97, numeric.P99!.Value, 12);
    }

    [Fact]
    public void Compute_Numeric_HistogramHasTwentyQuantileBins()
    {
        var stats = ReferenceStatistics.Compute([ReferenceFeatureInput.FromNumeric("x", [1, 2, 3, 4])]);

        var histogram = stats.Features[0].Numeric!.Histogram!;
        // Edges at positions 3i/20 → 1 + 0.15·i, i = 0..20: 21 distinct edges, 20 bins.
        Assert.Equal(21, histogram.Edges.Count);
        Assert.Equal(1.15, histogram.Edges[1], 12);
        Assert.Equal(4.0, histogram.Edges[^1]);
        // 1 → bin 0; 2 → last edge <= 2 is 1.90 (i = 6); 3 → 2.95 (i = 13); 4 is the last edge → last bin 19.
        var expected = new long[20];
        expected[0] = expected[6] = expected[13] = expected[19] = 1;
        Assert.Equal(expected, histogram.Counts);
    }

    [Fact]
    public void Compute_SingleDistinctValue_HasOneBin()
    {
        var stats = ReferenceStatistics.Compute([ReferenceFeatureInput.FromNumeric("x", [5, 5, 5])]);

        var numeric = stats.Features[0].Numeric!;
        Assert.Equal([5.0, 5.0], numeric.Histogram!.Edges);
        Assert.Equal([3L], numeric.Histogram.Counts);
        Assert.Equal(0.0, numeric.Std);
    }

    [Fact]
    public void Compute_AllMissing_LeavesStatisticsNull()
    {
        var stats = ReferenceStatistics.Compute([ReferenceFeatureInput.FromNumeric("x", [double.NaN, double.NaN])]);

        var numeric = stats.Features[0].Numeric!;
        Assert.Equal(2, numeric.Count);
        Assert.Equal(2, numeric.Missing);
        Assert.Null(numeric.Mean);
        Assert.Null(numeric.Histogram);
    }

    [Fact]
    public void Compute_Categorical_CountsByFrequencyThenName()
    {
        var stats = ReferenceStatistics.Compute([("country", true, null, new string?[] { "b", "a", "b", null, "c", "a", "b" })]);

        var categorical = Assert.IsType<CategoricalStatistics>(stats.Features[0].Categorical);
        Assert.Equal(7, categorical.Count);
        Assert.Equal(1, categorical.Missing);
        Assert.Equal(3, categorical.Distinct);
        Assert.Equal([new("b", 3), new("a", 2), new("c", 1), new("__other__", 0)], categorical.Categories);
    }

    [Fact]
    public void Compute_MoreThanFiftyCategories_PutsTheRestInOther()
    {
        // "z" twice, then c00..c50 once each: top 50 = z + c00..c48 (ties by name); c49 and c50 → __other__ = 2.
        var values = new List<string?> { "z", "z" };
        values.AddRange(Enumerable.Range(0, 51).Select(i => $"c{i:D2}"));

        var categorical = ReferenceStatistics.Compute([ReferenceFeatureInput.FromCategorical("merchant", [.. values])]).Features[0].Categorical!;

        Assert.Equal(52, categorical.Distinct);
        Assert.Equal(51, categorical.Categories.Count);
        Assert.Equal(new CategoryCount("z", 2), categorical.Categories[0]);
        Assert.Equal(new CategoryCount("c48", 1), categorical.Categories[49]);
        Assert.Equal(new CategoryCount("__other__", 2), categorical.Categories[50]);
    }

    [Fact]
    public void Write_SameData_WritesIdenticalSnakeCaseJsonWithoutTempFiles()
    {
        using var temp = new TempDirectory();
        static ReferenceStatistics Make() => ReferenceStatistics.Compute(
        [
            ReferenceFeatureInput.FromNumeric("amount", [0.5, 1.25, double.NaN, 3]),
            ReferenceFeatureInput.FromCategorical("country", ["DE", null, "FR", "DE"]),
        ]);

        ReferenceStatisticsWriter.Write(Make(), temp.File("a.json"));
        ReferenceStatisticsWriter.Write(Make(), temp.File("b.json"));

        var text = File.ReadAllText(temp.File("a.json"));
        Assert.Equal(text, File.ReadAllText(temp.File("b.json")));
        Assert.Contains("\"format_version\": 1", text, StringComparison.Ordinal);
        Assert.Contains("\"p01\":", text, StringComparison.Ordinal);
        Assert.Contains("\"__other__\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\r", text, StringComparison.Ordinal);
        Assert.Equal(["a.json", "b.json"], Directory.GetFiles(temp.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));

        var read = ReferenceStatisticsWriter.Read(temp.File("a.json"));
        Assert.Equal(text, ReferenceStatisticsWriter.Serialize(read));
    }

    [Fact]
    public void PopulationStabilityIndex_ShiftedData_MatchesHandWorkedValue()
    {
        // Reference proportions 0.5 / 0.3 / 0.2. Current: 2 in bin 0, 4 in bin 1, 3 in bin 2 plus 10.0 above the range → bin 2:
        // 0.2 / 0.4 / 0.4. PSI = (0.2−0.5)·ln(0.4) + (0.4−0.3)·ln(4/3) + (0.4−0.2)·ln(2) = 0.2748872 + 0.0287682 + 0.1386294 = 0.4422849.
        var reference = new NumericHistogram([0.0, 1.0, 2.0, 3.0], [50L, 30L, 20L]);
        double[] current = [0.5, 0.5, 1.5, 1.5, 1.5, 1.5, 2.5, 2.5, 2.5, 10.0, double.NaN];

        Assert.Equal(0.4422849, PopulationStabilityIndex.Compute(reference, current), 6);
    }

    [Fact]
    public void PopulationStabilityIndex_EmptyCurrentBin_UsesEpsilon()
    {
        // Reference 0.5 / 0.5; current 1 / 0 → 1 / 1e-4.
        // PSI = (1 − 0.5)·ln 2 + (1e-4 − 0.5)·ln(1e-4 / 0.5) = 0.3465736 + 4.2577449 = 4.6043185.
        var reference = new NumericHistogram([0.0, 1.0, 2.0], [5L, 5L]);

        Assert.Equal(4.6043185, PopulationStabilityIndex.Compute(reference, [0.1, 0.2]), 6);
    }

    [Fact]
    public void PopulationStabilityIndex_SameDistribution_IsZero()
    {
        var reference = new NumericHistogram([0.0, 1.0, 2.0], [5L, 5L]);

        Assert.Equal(0.0, PopulationStabilityIndex.Compute(reference, [0.5, 1.5]), 12);
    }

    [Fact]
    public void PopulationStabilityIndex_CategoricalWithUnseenValue_CountsItAsOther()
    {
        // Reference a 6, b 4, __other__ 0 → 0.6 / 0.4 / 1e-4 (epsilon). Current [a, b, b, z, null] → z is unseen → __other__;
        // null skipped → 0.25 / 0.5 / 0.25.
        // PSI = (0.25−0.6)·ln(0.25/0.6) + (0.5−0.4)·ln(0.5/0.4) + (0.25−1e-4)·ln(0.25/1e-4) = 0.3064141 + 0.0223144 + 1.9552291 = 2.2839575.
        var reference = new CategoricalStatistics(10, 0, 2, [new("a", 6), new("b", 4), new("__other__", 0)]);

        Assert.Equal(2.2839575, PopulationStabilityIndex.Compute(reference, ["a", "b", "b", "z", null]), 6);
    }

    [Fact]
    public void FromColumn_NumericMarkedCategorical_UsesInvariantStrings()
    {
        var input = ReferenceFeatureInput.FromColumn(new NumericColumn("mcc", [5411, double.NaN, 0.5]), isCategorical: true);

        Assert.True(input.IsCategorical);
        Assert.Equal(new string?[] { "5411", null, "0.5" }, input.Categorical);
    }

    [Fact]
    public void FromColumn_TextNotCategorical_Throws()
    {
        Assert.Throws<ArgumentException>(() => ReferenceFeatureInput.FromColumn(new StringColumn("country", ["DE"]), isCategorical: false));
    }
}
