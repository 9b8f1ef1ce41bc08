using System.Diagnostics;
using System.Globalization;
using MlOps.Trainer.Data;
using MlOps.Trainer.Evaluation;
using MlOps.Trainer.Model;
using MlOps.Trainer.Training;

namespace TrainBench;

/// <summary>
/// How the defaults were chosen: every named config trained (in process, exactly as `train` fits: split, early
/// stopping, refit) on several tables, each split 75/25 into a training file and a holdout several times, and the
/// holdout PR-AUC, ROC-AUC and log loss averaged. Usage: TrainBench sweep TABLES.tsv CONFIGS.json REPEATS.
/// </summary>
internal static class Sweep
{
    public static int Run(string tablesPath, string configsPath, int repeats)
    {
        var configs = System.Text.Json.JsonDocument.Parse(File.ReadAllText(configsPath)).RootElement.EnumerateObject()
            .Select(p => (p.Name, Config: TrainingConfig.Parse(p.Value.GetRawText(), p.Name))).ToList();
        var tables = File.ReadAllLines(tablesPath).Skip(1).Select(l => l.Split('\t')).ToList();
        var totals = configs.ToDictionary(c => c.Name, _ => new List<(double Pr, double Roc, double LogLoss)>());
        Console.WriteLine($"{"table",-14} {"config",-16} {"pr_auc",7} {"roc_auc",7} {"logloss",7} {"fit_s",6} {"trees",6}");
        foreach (var t in tables)
        {
            var (name, label, positive) = (t[0], t[1], t[2]);
            var path = t.Length > 6 && t[6].Length > 0 ? t[6] : Path.Combine(Path.GetDirectoryName(tablesPath)!, name + ".csv");
            var holdoutPath = t.Length > 7 && t[7].Length > 0 ? t[7] : null;
            var table = TableReader.Read(path);
            var holdoutTable = holdoutPath is null ? null : TableReader.Read(holdoutPath);
            var resolved = LabelResolver.Resolve(table, label, positive);
            var selection = FeatureSelector.Select(table, label, new FeatureSelectionOptions());
            foreach (var (configName, config) in configs)
            {
                var runs = new List<(double Pr, double Roc, double LogLoss, double Seconds, int Trees)>();
                for (var r = 0; r < (holdoutTable is null ? repeats : 1); r++)
                {
                    var (fileRows, holdoutRows) = holdoutTable is null
                        ? Halves(resolved.Labels, r)
                        : (Enumerable.Range(0, table.RowCount).ToArray(), Enumerable.Range(0, holdoutTable.RowCount).ToArray());
                    runs.Add(FitOnce(table, holdoutTable ?? table, resolved, holdoutTable is null ? resolved : LabelResolver.Resolve(holdoutTable, label, positive),
                        selection, fileRows, holdoutRows, config));
                }

                var mean = (Pr: runs.Average(x => x.Pr), Roc: runs.Average(x => x.Roc), LogLoss: runs.Average(x => x.LogLoss));
                totals[configName].Add(mean);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{name,-14} {configName,-16} {mean.Pr,7:F4} {mean.Roc,7:F4} {mean.LogLoss,7:F4} {runs.Average(x => x.Seconds),6:F2} {runs.Average(x => x.Trees),6:F0}"));
            }
        }

        Console.WriteLine();
        Console.WriteLine("mean over tables (each weighs the same), and mean rank by PR-AUC (1 = best):");
        var ranks = configs.ToDictionary(c => c.Name, _ => 0.0);
        for (var i = 0; i < tables.Count; i++)
        {
            var order = configs.OrderByDescending(c => totals[c.Name][i].Pr).Select(c => c.Name).ToList();
            foreach (var c in configs)
            {
                ranks[c.Name] += (order.IndexOf(c.Name) + 1.0) / tables.Count;
            }
        }

        foreach (var (configName, _) in configs)
        {
            var list = totals[configName];
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{configName,-16} pr_auc {list.Average(x => x.Pr):F4}  roc_auc {list.Average(x => x.Roc):F4}  logloss {list.Average(x => x.LogLoss):F4}  rank {ranks[configName]:F2}"));
        }

        return 0;
    }

    private static (int[] File, int[] Holdout) Halves(float[] labels, int seed)
    {
        var split = DatasetSplit.Stratified(labels, 0.125, 0.125, 1000 + seed);
        return (split.Train, [.. split.Test, .. split.Validation]);
    }

    private static (double, double, double, double, int) FitOnce(
        DataTable table, DataTable holdoutTable, ResolvedLabel label, ResolvedLabel holdoutLabel, FeatureSelection selection,
        int[] fileRows, int[] holdoutRows, TrainingConfig config)
    {
        var request = new TrainingRequest { DataPath = "sweep", LabelColumn = "label", OutputDirectory = "unused", Config = config, Seed = 42 };
        var fileLabels = fileRows.Select(r => label.Labels[r]).ToArray();
        var inner = DatasetSplit.Stratified(fileLabels, config.Split.Validation, config.Split.Test, 42);
        int[] Map(int[] rows) => [.. rows.Select(i => fileRows[i])];
        var split = new DatasetSplit(Map(inner.Train), Map(inner.Validation), Map(inner.Test), inner.Method);
        var encoder = FeatureEncoder.Fit(table, selection.Features, split.Train);
        MlOps.Trainer.LightGbm.TrainingMatrix Matrix(DataTable source, ResolvedLabel labels, int[] rows) =>
            new(encoder.Encode(source, rows), rows.Length, encoder.Features.Count, [.. rows.Select(r => labels.Labels[r])], encoder.CategoricalIndices);
        var data = new PreparedData(table, new DataInfo("sweep", "", 0, table.RowCount, table.Columns.Count, null, "csv"), 0, label, selection,
            split, encoder, Matrix(table, label, split.Train), Matrix(table, label, split.Validation), Matrix(table, label, split.Test));
        var clock = Stopwatch.StartNew();
        FitResult fit;
        try
        {
            fit = ModelFitter.Fit(data, request, "cpu", new StageRunner(new SilentReporter()), CancellationToken.None);
        }
        catch (MlOps.Trainer.LightGbm.LightGbmException)
        {
            // No tree could grow (leaves too large for the rows): scored as a constant model, what `train` would give up with.
            var rate = holdoutRows.Average(r => holdoutLabel.Labels[r]);
            return (rate, 0.5, double.NaN, clock.Elapsed.TotalSeconds, 0);
        }

        using var owned = fit;
        var seconds = clock.Elapsed.TotalSeconds;
        var holdout = Matrix(holdoutTable, holdoutLabel, holdoutRows);
        var scores = fit.Final.Booster.Predict(holdout.ColumnMajor, holdout.Rows, holdout.Columns);
        var metrics = BinaryMetrics.Compute(holdout.Labels, scores, 0.5);
        return (metrics.AveragePrecision, metrics.RocAuc, metrics.LogLoss, seconds, fit.Final.BestIteration);
    }

    private sealed class SilentReporter : ITrainingReporter
    {
        public void StageStarted(string stage)
        {
        }

        public void StageCompleted(string stage, TimeSpan elapsed, string? summary = null)
        {
        }

        public void Info(string message)
        {
        }

        public void Warning(string message)
        {
        }

        public void Iteration(MlOps.Trainer.LightGbm.IterationMetrics metrics, int maxIterations)
        {
        }
    }
}
