namespace MlOps.Trainer.Data;

/// <summary>
/// A binary label as 0/1 floats, with the original values that mean positive and negative, and why that value was
/// taken as positive (said on the console, so a silent wrong guess cannot hide).
/// </summary>
public sealed record ResolvedLabel(float[] Labels, string PositiveValue, string NegativeValue, int PositiveCount, int NegativeCount)
{
    public string Reason { get; init; } = string.Empty;
}
