namespace MlOps.Trainer.Data;

/// <summary>A binary label as 0/1 floats, with the original values that mean positive and negative.</summary>
public sealed record ResolvedLabel(float[] Labels, string PositiveValue, string NegativeValue, int PositiveCount, int NegativeCount);
