using System.Security.Cryptography;
using MlOps.Tests.Infrastructure;
using MlOps.Trainer.Data;

namespace MlOps.Tests.Trainer.Data;

public sealed class TransactionGeneratorTests
{
    private static readonly string[] s_expectedColumns =
    [
        "transaction_id", "timestamp", "amount", "merchant_category", "hour", "day_of_week", "card_present",
        "distance_from_home_km", "txn_count_1h", "avg_amount_30d", "account_age_days", "foreign", "is_fraud",
    ];

    [Fact]
    public void Generate_SameSeed_WritesIdenticalCsvBytes()
    {
        using var temp = new TempDirectory();
        var first = temp.File("a.csv");
        var second = temp.File("b.csv");

        TableWriter.Write(TransactionGenerator.Generate(5_000, 42), first);
        TableWriter.Write(TransactionGenerator.Generate(5_000, 42), second);

        Assert.Equal(File.ReadAllBytes(first), File.ReadAllBytes(second));
        Assert.Equal(Sha256(first), Sha256(second));
    }

    [Fact]
    public void Generate_DifferentSeed_DiffersInValues()
    {
        var a = (NumericColumn)TransactionGenerator.Generate(1_000, 1)["amount"];
        var b = (NumericColumn)TransactionGenerator.Generate(1_000, 2)["amount"];

        Assert.NotEqual(a.Values, b.Values);
    }

    [Fact]
    public void Generate_Columns_HaveDocumentedNamesKindsAndIds()
    {
        var table = TransactionGenerator.Generate(100, 3);

        Assert.Equal(s_expectedColumns, table.Columns.Select(c => c.Name));
        Assert.Equal(ColumnKind.Timestamp, table["timestamp"].Kind);
        Assert.Equal(ColumnKind.String, table["merchant_category"].Kind);
        Assert.Equal("tx_00000000", ((StringColumn)table["transaction_id"]).Values[0]);
        Assert.Equal("tx_00000099", ((StringColumn)table["transaction_id"]).Values[99]);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Generate_200kRows_FraudRateWithinRange(int seed)
    {
        var labels = ((NumericColumn)TransactionGenerator.Generate(200_000, seed)["is_fraud"]).Values;

        var rate = labels.Average();

        Assert.InRange(rate, 0.004, 0.011);
        Assert.All(labels, v => Assert.True(v is 0 or 1));
    }

    [Fact]
    public void Generate_HourAndDayOfWeek_MatchTimestamp()
    {
        var table = TransactionGenerator.Generate(20_000, 7);
        var times = ((TimestampColumn)table["timestamp"]).Values;
        var hours = ((NumericColumn)table["hour"]).Values;
        var days = ((NumericColumn)table["day_of_week"]).Values;

        for (var i = 0; i < times.Length; i++)
        {
            var t = times[i]!.Value;
            Assert.Equal(t.Hour, hours[i]);
            Assert.Equal(((int)t.DayOfWeek + 6) % 7, days[i]);
            Assert.Equal(0, t.Ticks % TimeSpan.TicksPerSecond);
            Assert.True(i == 0 || t > times[i - 1], $"row {i} is not after the previous row");
        }

        Assert.Equal(TransactionGenerator.Start, times[0]);
        Assert.InRange((times[^1]!.Value - times[0]!.Value).TotalDays, 80, 100);
    }

    [Fact]
    public void Generate_MoneyAndDistance_AreRoundedToCents()
    {
        var table = TransactionGenerator.Generate(5_000, 9);

        foreach (var name in new[] { "amount", "avg_amount_30d", "distance_from_home_km" })
        {
            Assert.All(((NumericColumn)table[name]).Values, v =>
            {
                Assert.True(v > 0);
                Assert.Equal(v.ToString("R", System.Globalization.CultureInfo.InvariantCulture), Math.Round(v, 2).ToString("R", System.Globalization.CultureInfo.InvariantCulture));
            });
        }
    }

    [Fact]
    public void Generate_RiskSignals_RaiseFraudRateSeveralTimes()
    {
        var table = TransactionGenerator.Generate(200_000, 11);
        var fraud = ((NumericColumn)table["is_fraud"]).Values;
        var hour = ((NumericColumn)table["hour"]).Values;
        var foreign = ((NumericColumn)table["foreign"]).Values;
        var present = ((NumericColumn)table["card_present"]).Values;
        var baseRate = fraud.Average();

        var risky = Enumerable.Range(0, fraud.Length).Where(i => hour[i] < 6 && foreign[i] == 1 && present[i] == 0).ToArray();
        var riskyRate = risky.Average(i => fraud[i]);

        Assert.True(risky.Length > 100, $"only {risky.Length} risky rows");
        Assert.True(riskyRate > 5 * baseRate, $"risky rate {riskyRate} vs base {baseRate}");
    }

    [Fact]
    public void Generate_Categories_AreTheTwelveKnownOnes()
    {
        var categories = ((StringColumn)TransactionGenerator.Generate(50_000, 4)["merchant_category"]).Values;

        var distinct = categories.Distinct().ToArray();

        Assert.Equal(12, distinct.Length);
        Assert.Contains("grocery", distinct);
        Assert.Contains("crypto_exchange", distinct);
    }

    private static string Sha256(string path) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));
}
