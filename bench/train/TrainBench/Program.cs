using System.Globalization;
using MlOps.Trainer.Data;
using MlOps.Trainer.Evaluation;
using MlOps.Trainer.Onnx;

// bench/train: scores an exported model folder's model.onnx on a holdout file with ONNX Runtime, as serving would.
// Usage: TrainBench MODEL_DIR HOLDOUT.csv LABEL POSITIVE  ->  one line "roc_auc=… pr_auc=… rows=…"
//        TrainBench sweep TABLES.tsv CONFIGS.json REPEATS   ->  how the defaults were chosen (see Sweep.cs)
if (args is ["sweep", var tables, var configs, var repeats])
{
    return TrainBench.Sweep.Run(tables, configs, int.Parse(repeats, CultureInfo.InvariantCulture));
}

if (args.Length != 4)
{
    Console.Error.WriteLine("usage: TrainBench MODEL_DIR HOLDOUT.csv LABEL POSITIVE");
    return 2;
}

var (modelDirectory, holdoutPath, label, positive) = (args[0], args[1], args[2], args[3]);
var holdout = TableReader.Read(holdoutPath);
var labels = LabelResolver.Resolve(holdout, label, positive).Labels;
using var scorer = OnnxScorer.FromModelInputs(File.ReadAllBytes(Path.Combine(modelDirectory, "model.onnx")), intraOpThreads: 2);
var rows = Enumerable.Range(0, holdout.RowCount).ToArray();
var inputs = ModelInputs.From(holdout, rows, scorer.Features, out var problem)
    ?? throw new InvalidOperationException(problem);
var (_, probabilities, _) = scorer.Score(inputs.Numeric, inputs.Categorical, rows.Length);
var metrics = BinaryMetrics.Compute(labels, [.. probabilities.Select(p => (double)p)], 0.5);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"roc_auc={metrics.RocAuc:F4} pr_auc={metrics.AveragePrecision:F4} log_loss={metrics.LogLoss:F4} mean_p={probabilities.Average(p => (double)p):F4} rows={rows.Length}"));
return 0;
