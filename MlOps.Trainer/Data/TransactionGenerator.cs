using System.Globalization;

namespace MlOps.Trainer.Data;

/// <summary>
/// Synthetic card transactions with a learnable but noisy fraud label. The output depends only on the row count and
/// seed: the generator uses its own PRNG and only IEEE-exact arithmetic, and rounds money and distances in integer cents.
/// </summary>
public static class TransactionGenerator
{
    public static readonly DateTime Start = new(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private const long SpanSeconds = 90L * 24 * 3600;
    private const double DayFraudRate = 0.006;
    private const double NightFraudRate = 0.024;
    private const double MissedFraudRate = 0.03;
    private const double FalseFraudRate = 0.0005;

    public static DataTable Generate(int rows, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        var rng = new Xoshiro256StarStar(unchecked((ulong)seed));
        var columns = new TransactionColumns(rows);
        var dayGap = rows == 0 ? 1.0 : SpanSeconds * (0.75 + (0.25 / 3)) / rows;
        long second = 0;
        for (var i = 0; i < rows; i++)
        {
            GenerateRow(rng, columns, i, second);
            var hour = second % 86_400 / 3600;
            second += NextGap(rng, hour < 6 ? 3 * dayGap : dayGap);
        }

        return columns.ToTable();
    }

    private static long NextGap(Xoshiro256StarStar rng, double meanGap) =>
        meanGap <= 1 ? 1 : 1 + (long)(rng.NextDouble() * 2 * (meanGap - 1));

    private static void GenerateRow(Xoshiro256StarStar rng, TransactionColumns c, int i, long second)
    {
        var hour = (int)(second % 86_400 / 3600);
        var night = hour < 6;
        var fraud = rng.Chance(night ? NightFraudRate : DayFraudRate);
        var category = MerchantCategories.Pick(rng, fraud);
        var online = MerchantCategories.IsOnline(category);
        var cardPresent = fraud ? rng.Chance(online ? 0.02 : 0.25) : rng.Chance(online ? 0.05 : 0.9);
        var foreign = rng.Chance(fraud ? 0.3 : 0.04);

        c.Id[i] = "tx_" + i.ToString("D8", CultureInfo.InvariantCulture);
        c.Timestamp[i] = Start.AddTicks(second * TimeSpan.TicksPerSecond);
        c.Hour[i] = hour;
        c.DayOfWeek[i] = second / 86_400 % 7;
        c.Category[i] = MerchantCategories.Names[category];
        c.CardPresent[i] = cardPresent ? 1 : 0;
        c.Foreign[i] = foreign ? 1 : 0;
        var average = Cents(MerchantCategories.MedianAmount[category] * (0.4 + (1.2 * rng.NextDouble())));
        c.AverageAmount[i] = average;
        c.Amount[i] = Math.Max(0.5, Cents(average * AmountRatio(rng, fraud)));
        c.Distance[i] = Cents(Distance(rng, fraud, foreign, cardPresent));
        c.Velocity[i] = fraud && rng.Chance(0.5) ? 3 + rng.NextInt(10) : LegitVelocity(rng);
        c.AccountAge[i] = AccountAge(rng, fraud);
        c.IsFraud[i] = (fraud ? !rng.Chance(MissedFraudRate) : rng.Chance(FalseFraudRate)) ? 1 : 0;
    }

    private static double AmountRatio(Xoshiro256StarStar rng, bool fraud)
    {
        if (fraud && rng.Chance(0.65))
        {
            return 2 + (8 * rng.NextDouble());
        }

        var ratio = 0.3 + (1.2 * rng.NextDouble());
        return rng.Chance(0.05) ? ratio / (0.25 + (0.75 * rng.NextDouble())) : ratio;
    }

    private static double Distance(Xoshiro256StarStar rng, bool fraud, bool foreign, bool cardPresent)
    {
        var u = rng.NextDouble();
        if (foreign)
        {
            return 300 + (8000 * u);
        }

        if (fraud && rng.Chance(0.5))
        {
            return 50 + (1500 * u);
        }

        return cardPresent ? 0.5 + (30 * u * u) : 1 + (200 * u * u * u);
    }

    private static int LegitVelocity(Xoshiro256StarStar rng) =>
        rng.Chance(0.03) ? 3 + rng.NextInt(4) : rng.NextInt(3);

    private static int AccountAge(Xoshiro256StarStar rng, bool fraud)
    {
        if (rng.Chance(fraud ? 0.35 : 0.04))
        {
            return rng.NextInt(30);
        }

        var u = rng.NextDouble();
        return 30 + (int)(3620 * (fraud ? u * u : u));
    }

    /// <summary>Rounds a non-negative amount to whole cents in integer arithmetic.</summary>
    private static double Cents(double value) => (long)((value * 100) + 0.5) / 100.0;
}
