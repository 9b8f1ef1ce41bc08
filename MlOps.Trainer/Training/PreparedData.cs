using System.Globalization;
using MlOps.Trainer.Data;
using MlOps.Trainer.LightGbm;
using MlOps.Trainer.Model;
using MlOps.Trainer.Versioning;

namespace MlOps.Trainer.Training;

/// <summary>A table loaded, labelled, split and encoded: what every training of one request starts from.</summary>
internal sealed record PreparedData(
    DataTable Table,
    DataInfo DataInfo,
    double LoadSeconds,
    ResolvedLabel Label,
    FeatureSelection Selection,
    DatasetSplit Split,
    FeatureEncoder Encoder,
    TrainingMatrix Train,
    TrainingMatrix Validation,
    TrainingMatrix Test)
{
    /// <summary>Train and validation rows together (train first), for the final refit.</summary>
    public TrainingMatrix TrainAndValidation()
    {
        int[] rows = [.. Split.Train, .. Split.Validation];
        return new TrainingMatrix(Encoder.Encode(Table, rows), rows.Length, Encoder.Features.Count,
            [.. Train.Labels, .. Validation.Labels], Encoder.CategoricalIndices);
    }
}

/// <summary>Loads (checking the DVC pointer), resolves the label, selects features, splits and encodes.</summary>
internal static class DataPreparation
{
    public static PreparedData Prepare(TrainingRequest request, StageRunner stages, CancellationToken ct)
    {
        var config = request.Config;
        var reporter = stages.Reporter;
        var loadClock = System.Diagnostics.Stopwatch.StartNew();
        var (table, dataInfo) = stages.Run("load", () => Load(request, reporter, ct), r => $"{r.Item1.RowCount:N0} rows, {r.Item1.Columns.Count} columns, md5 {r.Item2.Md5}");
        var loadSeconds = loadClock.Elapsed.TotalSeconds;

        var label = LabelResolver.Resolve(table, request.LabelColumn, request.PositiveValue);
        reporter.Info(string.Create(CultureInfo.InvariantCulture,
            $"positive class: {request.LabelColumn} = '{label.PositiveValue}' ({label.PositiveCount:N0} rows, {(double)label.PositiveCount / table.RowCount:P2}), negative '{label.NegativeValue}'; {label.Reason}"));
        var selection = FeatureSelector.Select(table, request.LabelColumn, new FeatureSelectionOptions
        {
            Include = config.Features.Include,
            Exclude = config.Features.Exclude,
            Categorical = config.Features.Categorical,
            MaxCategories = config.Features.MaxCategories,
        });
        foreach (var excluded in selection.Excluded.Where(e => e.Reason != "label"))
        {
            reporter.Info($"column '{excluded.Name}' is not a feature: {excluded.Reason}");
        }

        var split = stages.Run("split", () => Split(request, table, label), s => $"{s.Method}: train {s.Train.Length:N0}, validation {s.Validation.Length:N0}, test {s.Test.Length:N0}");
        var encoder = FeatureEncoder.Fit(table, selection.Features, split.Train);
        return new PreparedData(table, dataInfo, loadSeconds, label, selection, split, encoder,
            Matrix(table, label, encoder, split.Train),
            Matrix(table, label, encoder, split.Validation),
            Matrix(table, label, encoder, split.Test));
    }

    private static (DataTable, DataInfo) Load(TrainingRequest request, ITrainingReporter reporter, CancellationToken ct)
    {
        var path = request.DataPath;
        if (!File.Exists(path))
        {
            throw new BadInputException($"{path}: data file not found.");
        }

        string? pointerFile = null;
        string md5;
        var verification = DataVersioning.Verify(path);
        switch (verification.Status)
        {
            case VerificationStatus.Match:
                pointerFile = path + ".dvc";
                md5 = verification.ActualMd5 ?? DataVersioning.Md5Of(path);
                break;
            case VerificationStatus.Mismatch when request.AllowDataMismatch:
                reporter.Warning($"{verification.Message} Training anyway (--allow-data-mismatch); the data version recorded is the actual md5.");
                pointerFile = path + ".dvc";
                md5 = verification.ActualMd5 ?? DataVersioning.Md5Of(path);
                break;
            case VerificationStatus.Mismatch:
                throw new BadInputException($"{verification.Message} Run 'data add {path}' to record the new version, or pass --allow-data-mismatch.");
            default:
                md5 = DataVersioning.Md5Of(path);
                break;
        }

        var table = TableReader.Read(path, ct);
        var info = new DataInfo(Path.GetFileName(path), md5, new FileInfo(path).Length, table.RowCount, table.Columns.Count,
            pointerFile is null ? null : Path.GetFileName(pointerFile), Path.GetExtension(path).TrimStart('.').ToLowerInvariant());
        return (table, info);
    }

    private static DatasetSplit Split(TrainingRequest request, DataTable table, ResolvedLabel label)
    {
        var split = request.Config.Split;
        var validation = Capped(split.Validation, split.MaxValidationRows, table.RowCount);
        var test = Capped(split.Test, split.MaxTestRows, table.RowCount);
        var result = split.TimestampColumn is { } column
            ? DatasetSplit.ByTime(table, column, validation, test)
            : DatasetSplit.Stratified(label.Labels, validation, test, request.Seed);
        foreach (var (name, rows) in new[] { ("train", result.Train), ("validation", result.Validation), ("test", result.Test) })
        {
            var positives = rows.Count(r => label.Labels[r] > 0.5f);
            if (positives == 0 || positives == rows.Length)
            {
                throw new BadInputException($"the {name} split ({rows.Length} rows) has only one class; use more data or another split.");
            }
        }

        return result;
    }

    private static double Capped(double fraction, int maxRows, int rows) =>
        maxRows > 0 && fraction * rows > maxRows ? (double)maxRows / rows : fraction;

    private static TrainingMatrix Matrix(DataTable table, ResolvedLabel label, FeatureEncoder encoder, int[] rows) =>
        new(encoder.Encode(table, rows), rows.Length, encoder.Features.Count, [.. rows.Select(r => label.Labels[r])], encoder.CategoricalIndices);
}
