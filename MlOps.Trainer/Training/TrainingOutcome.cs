using MlOps.Trainer.Data;
using MlOps.Trainer.Model;

namespace MlOps.Trainer.Training;

/// <summary>What a finished training produced: the model folder and its card.</summary>
public sealed record TrainingOutcome(string ModelDirectory, ModelCard Card, IReadOnlyList<LightGbm.IterationMetrics> History)
{
    /// <summary>The test split and the exported model's scores on it: what the promotion gate compares on.</summary>
    public HeldOutRows? HeldOut { get; init; }
}

/// <summary>Rows no model of this run was trained on, their labels and the new model's ONNX probabilities.</summary>
public sealed record HeldOutRows(DataTable Table, int[] Rows, float[] Labels, float[] CandidateScores, string PositiveValue);
