using MlOps.Trainer.LightGbm;

namespace MlOps.Trainer.Training;

/// <summary>Where the pipeline reports progress: the console for people, a list in tests.</summary>
public interface ITrainingReporter
{
    void StageStarted(string stage);

    void StageCompleted(string stage, TimeSpan elapsed, string? summary = null);

    void Info(string message);

    void Warning(string message);

    void Iteration(IterationMetrics metrics, int maxIterations);
}
