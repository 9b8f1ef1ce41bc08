namespace MlOps.Tests.Infrastructure;

/// <summary>Request bodies for serving's <c>/predict</c> in the end-to-end tests.</summary>
public static class SampleTransactions
{
    /// <summary>A suspicious transaction: a large amount at night, far from home, card not present, foreign, new account.</summary>
    public static Dictionary<string, object?> Suspicious() => new()
    {
        ["amount"] = 950.0,
        ["merchant_category"] = "electronics",
        ["hour"] = 3,
        ["day_of_week"] = 5,
        ["card_present"] = 0,
        ["distance_from_home_km"] = 820.5,
        ["txn_count_1h"] = 6,
        ["avg_amount_30d"] = 42.1,
        ["account_age_days"] = 12,
        ["foreign"] = 1,
    };
}
