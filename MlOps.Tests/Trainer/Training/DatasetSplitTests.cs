using MlOps.Trainer;
using MlOps.Trainer.Data;
using MlOps.Trainer.Training;

namespace MlOps.Tests.Trainer.Training;

public sealed class DatasetSplitTests
{
    [Fact]
    public void Stratified_RareClass_KeepsRateInEverySplitAndCoversEveryRowOnce()
    {
        // 10,000 rows, 100 positives (1%).
        var labels = Enumerable.Range(0, 10_000).Select(i => i % 100 == 0 ? 1f : 0f).ToArray();

        var split = DatasetSplit.Stratified(labels, validation: 0.15, test: 0.15, seed: 1);

        Assert.Equal(labels.Length, split.Train.Length + split.Validation.Length + split.Test.Length);
        Assert.Equal(labels.Length, split.Train.Concat(split.Validation).Concat(split.Test).Distinct().Count());
        Assert.Equal(15, split.Test.Count(r => labels[r] > 0)); // round(100 × 0.15)
        Assert.Equal(15, split.Validation.Count(r => labels[r] > 0));
        Assert.Equal(70, split.Train.Count(r => labels[r] > 0));
        Assert.Equal(1500, split.Test.Length);
        Assert.True(split.Train.SequenceEqual(split.Train.Order()), "rows stay in file order");
    }

    [Fact]
    public void Stratified_SameSeed_SameRows_OtherSeed_OtherRows()
    {
        var labels = Enumerable.Range(0, 2_000).Select(i => i % 10 == 0 ? 1f : 0f).ToArray();

        var a = DatasetSplit.Stratified(labels, 0.2, 0.2, seed: 5);
        var b = DatasetSplit.Stratified(labels, 0.2, 0.2, seed: 5);
        var c = DatasetSplit.Stratified(labels, 0.2, 0.2, seed: 6);

        Assert.Equal(a.Test, b.Test);
        Assert.NotEqual(a.Test, c.Test);
    }

    [Fact]
    public void Stratified_TwoPositives_ThrowsBadInput()
    {
        var labels = new float[100];
        labels[3] = labels[50] = 1f;

        var error = Assert.Throws<BadInputException>(() => DatasetSplit.Stratified(labels, 0.15, 0.15, 1));
        Assert.Contains("minority class (2)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ByTime_ShuffledTimestamps_OldestTrainNewestTest()
    {
        var start = new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        // Row i happens at hour (i * 7) % 100: a permutation of 0..99, so file order is not time order.
        var times = Enumerable.Range(0, 100).Select(i => (DateTime?)start.AddHours(i * 7 % 100)).ToArray();
        var table = new DataTable([new TimestampColumn("ts", times)]);

        var split = DatasetSplit.ByTime(table, "ts", validation: 0.2, test: 0.1);

        Assert.Equal((70, 20, 10), (split.Train.Length, split.Validation.Length, split.Test.Length));
        var latestTrain = split.Train.Max(r => times[r]!.Value);
        var earliestValidation = split.Validation.Min(r => times[r]!.Value);
        var latestValidation = split.Validation.Max(r => times[r]!.Value);
        var earliestTest = split.Test.Min(r => times[r]!.Value);
        Assert.True(latestTrain < earliestValidation);
        Assert.True(latestValidation < earliestTest);
        Assert.Equal(start.AddHours(99), split.Test.Max(r => times[r]!.Value));
    }

    [Fact]
    public void ByTime_MissingTimestamp_ThrowsNamingRow()
    {
        var table = new DataTable([new TimestampColumn("ts", [DateTime.UnixEpoch, null, DateTime.UnixEpoch])]);

        var error = Assert.Throws<BadInputException>(() => DatasetSplit.ByTime(table, "ts", 0.2, 0.2));
        Assert.Contains("row 2", error.Message, StringComparison.Ordinal);
    }
}
