namespace MlOps.Trainer.Tracking;

/// <summary>What <c>train</c> and <c>tune</c> log to MLflow and how they promote the new version.</summary>
/// <param name="Experiment">The experiment the run goes to (created when missing).</param>
/// <param name="ModelName">The registered model that gets a new version.</param>
/// <param name="Promotion">How sure the gate must be that the new version beats production.</param>
/// <param name="Register">False logs the run without registering a version.</param>
internal sealed record TrackingSettings(string Experiment, string ModelName, PromotionSettings Promotion, bool Register);
