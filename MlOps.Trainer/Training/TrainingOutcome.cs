using MlOps.Trainer.Model;

namespace MlOps.Trainer.Training;

/// <summary>What a finished training produced: the model folder and its card.</summary>
public sealed record TrainingOutcome(string ModelDirectory, ModelCard Card, IReadOnlyList<LightGbm.IterationMetrics> History);
