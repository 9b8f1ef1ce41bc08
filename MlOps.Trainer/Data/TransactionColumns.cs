namespace MlOps.Trainer.Data;

/// <summary>The column arrays of a generated transaction table, filled row by row.</summary>
internal sealed class TransactionColumns(int rows)
{
    public string?[] Id { get; } = new string?[rows];

    public DateTime?[] Timestamp { get; } = new DateTime?[rows];

    public double[] Amount { get; } = new double[rows];

    public string?[] Category { get; } = new string?[rows];

    public double[] Hour { get; } = new double[rows];

    public double[] DayOfWeek { get; } = new double[rows];

    public double[] CardPresent { get; } = new double[rows];

    public double[] Distance { get; } = new double[rows];

    public double[] Velocity { get; } = new double[rows];

    public double[] AverageAmount { get; } = new double[rows];

    public double[] AccountAge { get; } = new double[rows];

    public double[] Foreign { get; } = new double[rows];

    public double[] IsFraud { get; } = new double[rows];

    public DataTable ToTable() => new(
    [
        new StringColumn("transaction_id", Id),
        new TimestampColumn("timestamp", Timestamp),
        new NumericColumn("amount", Amount),
        new StringColumn("merchant_category", Category),
        new NumericColumn("hour", Hour),
        new NumericColumn("day_of_week", DayOfWeek),
        new NumericColumn("card_present", CardPresent),
        new NumericColumn("distance_from_home_km", Distance),
        new NumericColumn("txn_count_1h", Velocity),
        new NumericColumn("avg_amount_30d", AverageAmount),
        new NumericColumn("account_age_days", AccountAge),
        new NumericColumn("foreign", Foreign),
        new NumericColumn("is_fraud", IsFraud),
    ]);
}
