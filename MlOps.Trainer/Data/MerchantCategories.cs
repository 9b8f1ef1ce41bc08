namespace MlOps.Trainer.Data;

/// <summary>Merchant categories of the synthetic transactions with their legit and fraud frequencies.</summary>
internal static class MerchantCategories
{
    public static readonly string[] Names =
    [
        "grocery", "gas_station", "restaurant", "online_retail", "electronics", "travel",
        "jewelry", "gaming", "pharmacy", "entertainment", "money_transfer", "crypto_exchange",
    ];

    public static readonly double[] MedianAmount = [45, 40, 35, 60, 250, 400, 300, 30, 25, 40, 200, 300];

    private static readonly int[] s_legitWeights = [220, 120, 160, 140, 50, 40, 10, 30, 70, 80, 30, 10];
    private static readonly int[] s_fraudWeights = [50, 60, 30, 200, 180, 60, 100, 100, 20, 40, 100, 60];
    private static readonly bool[] s_online = [false, false, false, true, false, false, false, true, false, false, true, true];
    private static readonly int s_legitTotal = s_legitWeights.Sum();
    private static readonly int s_fraudTotal = s_fraudWeights.Sum();

    public static bool IsOnline(int category) => s_online[category];

    public static int Pick(Xoshiro256StarStar rng, bool fraud)
    {
        var weights = fraud ? s_fraudWeights : s_legitWeights;
        var draw = rng.NextInt(fraud ? s_fraudTotal : s_legitTotal);
        for (var i = 0; i < weights.Length; i++)
        {
            draw -= weights[i];
            if (draw < 0)
            {
                return i;
            }
        }

        return weights.Length - 1;
    }
}
