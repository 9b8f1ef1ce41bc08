using MlOps.Trainer.Data;

namespace MlOps.Trainer.Training;

/// <summary>Row indices of the train, validation and test splits, each in ascending order.</summary>
public sealed record DatasetSplit(int[] Train, int[] Validation, int[] Test, string Method)
{
    /// <summary>
    /// Stratified by label: each class is shuffled with the seed and cut by the fractions, so every split keeps the
    /// fraud rate of the whole table.
    /// </summary>
    public static DatasetSplit Stratified(float[] labels, double validation, double test, int seed)
    {
        var positives = new List<int>();
        var negatives = new List<int>();
        for (var i = 0; i < labels.Length; i++)
        {
            (labels[i] > 0.5f ? positives : negatives).Add(i);
        }

        if (positives.Count < 3 || negatives.Count < 3)
        {
            throw new BadInputException(
                $"too few rows of the minority class ({Math.Min(positives.Count, negatives.Count)}) to split into train, validation and test; at least 3 are needed.");
        }

        var rng = new Xoshiro256StarStar((ulong)seed);
        var train = new List<int>(labels.Length);
        var valid = new List<int>();
        var testRows = new List<int>();
        foreach (var group in new[] { positives, negatives })
        {
            var rows = group.ToArray();
            rng.Shuffle(rows.AsSpan());
            var nTest = Math.Max(1, (int)Math.Round(rows.Length * test));
            var nValid = Math.Max(1, (int)Math.Round(rows.Length * validation));
            testRows.AddRange(rows.AsSpan(0, nTest));
            valid.AddRange(rows.AsSpan(nTest, nValid));
            train.AddRange(rows.AsSpan(nTest + nValid));
        }

        return new DatasetSplit(Sorted(train), Sorted(valid), Sorted(testRows), "stratified");
    }

    /// <summary>By time: the oldest rows train, the next validate, the newest test (no look-ahead).</summary>
    public static DatasetSplit ByTime(DataTable table, string timestampColumn, double validation, double test)
    {
        if (!table.TryGetColumn(timestampColumn, out var column))
        {
            throw new BadInputException($"split.timestamp_column: no column named '{timestampColumn}'.");
        }

        var keys = column switch
        {
            TimestampColumn t => t.Values.Select((v, i) => v?.Ticks ?? throw MissingTime(timestampColumn, i)).ToArray(),
            NumericColumn n => n.Values.Select((v, i) => double.IsNaN(v) ? throw MissingTime(timestampColumn, i) : (long)v).ToArray(),
            _ => throw new BadInputException($"split.timestamp_column: column '{timestampColumn}' is text, not a timestamp or number."),
        };

        var order = Enumerable.Range(0, table.RowCount).ToArray();
        // Stable: rows with equal times keep file order, so the split is reproducible.
        order = [.. order.OrderBy(i => keys[i])];
        var nTest = (int)Math.Round(order.Length * test);
        var nValid = (int)Math.Round(order.Length * validation);
        var nTrain = order.Length - nTest - nValid;
        return new DatasetSplit(
            Sorted(order[..nTrain]),
            Sorted(order[nTrain..(nTrain + nValid)]),
            Sorted(order[(nTrain + nValid)..]),
            $"time ({timestampColumn})");
    }

    private static BadInputException MissingTime(string column, int row) =>
        new($"split.timestamp_column: column '{column}' has a missing value at row {row + 1}.");

    private static int[] Sorted(IEnumerable<int> rows)
    {
        var array = rows.ToArray();
        Array.Sort(array);
        return array;
    }
}
