namespace MlOps.Trainer.Reporting;

/// <summary>A feature's total split gain in the trained model.</summary>
public sealed record FeatureImportance(string Name, double Gain);
