using MlOps.Mlflow;
using MlOps.Trainer.Data;
using MlOps.Trainer.Evaluation;
using MlOps.Trainer.Model;
using MlOps.Trainer.Reporting;

namespace MlOps.Trainer.Training;

/// <summary>Everything that goes into the model folder.</summary>
public sealed record ModelFolderContents
{
    public required ModelCard Card { get; init; }

    public required byte[] OnnxModel { get; init; }

    public required string LightGbmModelText { get; init; }

    public required IReadOnlyList<EncodedFeature> Features { get; init; }

    public required DataTable Table { get; init; }

    public required int[] TrainRows { get; init; }

    public required float[] TestLabels { get; init; }

    public required double[] TestScores { get; init; }

    public required double[] FeatureImportance { get; init; }

    public required BinaryEvaluation TestEvaluation { get; init; }

    public required ThresholdChoice Threshold { get; init; }
}

/// <summary>
/// Writes <c>DIR/model/</c> so that it is either the complete new model or the complete old one, even when the
/// process is killed at any instant: everything goes into a hidden sibling folder first, which is then swapped
/// with the old folder in one atomic rename (Linux <c>renameat2(RENAME_EXCHANGE)</c>). Where that is not available
/// the old folder is renamed aside first, and <see cref="Prepare"/> puts it back if a crash came in between.
/// </summary>
public sealed class ModelFolderWriter(string outputDirectory)
{
    public const string ModelFolderName = "model";
    public const string OnnxFileName = "model.onnx";
    public const string CardFileName = "model-card.json";
    public const string MlModelFileName = "MLmodel";
    public const string ReferenceStatsFileName = "reference-stats.json";
    public const string LightGbmFileName = "lightgbm-model.txt";

    private string Target => Path.Combine(outputDirectory, ModelFolderName);

    /// <summary>
    /// Before training: checks the output folder can be written (a <see cref="BadInputException"/> otherwise),
    /// removes temporary folders that dead trainers left and restores a model folder a crash left renamed aside.
    /// Returns a sentence for each thing it cleaned up.
    /// </summary>
    public IReadOnlyList<string> Prepare()
    {
        OutputFolder.EnsureWritable(outputDirectory);
        return ModelFolderDebris.Clean(outputDirectory, Target);
    }

    public string Write(ModelFolderContents contents)
    {
        Directory.CreateDirectory(outputDirectory);
        var staging = Path.Combine(outputDirectory, ModelFolderDebris.TempName(ModelFolderDebris.StagingPrefix));
        Directory.CreateDirectory(staging);
        try
        {
            WriteFiles(staging, contents);
            FolderSwap.Replace(staging, Target, ModelFolderDebris.TempName(ModelFolderDebris.OldPrefix));
            return Target;
        }
        catch
        {
            FolderSwap.TryDelete(staging);
            throw;
        }
    }
    private static void WriteFiles(string folder, ModelFolderContents contents)
    {
        File.WriteAllBytes(Path.Combine(folder, OnnxFileName), contents.OnnxModel);
        File.WriteAllText(Path.Combine(folder, LightGbmFileName), contents.LightGbmModelText);
        File.WriteAllText(Path.Combine(folder, CardFileName), contents.Card.ToJson());

        var mlmodel = MlModel.ForOnnx(
            ModelFolderName,
            [.. contents.Features.Select(f => new SignatureColumn(f.Name, f.IsCategorical ? "string" : "double"))],
            [new SignatureColumn("label", "long"), new SignatureColumn("probability", "float")],
            contents.Card.ModelUuid,
            contents.Card.CreatedUtc,
            modelSizeBytes: contents.OnnxModel.Length);
        File.WriteAllText(Path.Combine(folder, MlModelFileName), mlmodel.ToYaml());

        var stats = ReferenceStatistics.Compute([.. contents.Features.Select(f => Input(contents.Table, contents.TrainRows, f))])
            .WithScores(contents.TestScores);
        ReferenceStatisticsWriter.Write(stats, Path.Combine(folder, ReferenceStatsFileName));

        PlotWriter.WriteAll(folder, contents.TestLabels, contents.TestScores, contents.TestEvaluation, contents.Threshold,
            [.. contents.Features.Select((f, i) => new FeatureImportance(f.Name, contents.FeatureImportance[i]))]);
    }

    private static ReferenceFeatureInput Input(DataTable table, int[] rows, EncodedFeature feature)
    {
        var column = table[feature.Name];
        return feature.IsCategorical
            ? ReferenceFeatureInput.FromCategorical(feature.Name, [.. rows.Select(r => FeatureEncoder.TextOf(column, r))])
            : ReferenceFeatureInput.FromNumeric(feature.Name, [.. rows.Select(r => ((NumericColumn)column).Values[r])]);
    }
}
