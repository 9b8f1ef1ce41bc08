namespace MlOps.Trainer.Tracking;

/// <summary>What the <c>train</c> command logs to MLflow and how it promotes the new version.</summary>
/// <param name="Experiment">The experiment the run goes to (created when missing).</param>
/// <param name="ModelName">The registered model that gets a new version.</param>
/// <param name="PromotionMargin">How much higher than production's the new test PR-AUC must be to replace it.</param>
/// <param name="Register">False logs the run without registering a version.</param>
internal sealed record TrackingSettings(string Experiment, string ModelName, double PromotionMargin, bool Register);
