using Microsoft.ML.OnnxRuntime;
using MlOps.Tests.Infrastructure;
using MlOps.Trainer.Model;
using MlOps.Trainer.Reporting;

namespace MlOps.Tests.Trainer;

[Collection(TrainedModelCollection.Name)]
public sealed class TrainCommandTests(TrainedModelFixture model)
{
    [Fact]
    public void Train_GeneratedData_WritesCompleteModelFolder()
    {
        foreach (var file in new[] { "model.onnx", "MLmodel", "model-card.json", "reference-stats.json", "lightgbm-model.txt",
                     "pr_curve.png", "roc_curve.png", "feature_importance.png", "score_distribution.png" })
        {
            Assert.True(File.Exists(Path.Combine(model.ModelDirectory, file)), $"{file} is missing");
        }

        // Nothing half-written is left beside the model folder.
        Assert.Equal(["model"], Directory.GetDirectories(model.OutputDirectory).Select(Path.GetFileName));
    }

    [Fact]
    public void Train_GeneratedData_ReferenceStatsRecordTheHeldOutScoreDistribution()
    {
        var stats = ReferenceStatisticsWriter.Read(Path.Combine(model.ModelDirectory, "reference-stats.json"));
        var card = ModelCard.FromJson(File.ReadAllText(Path.Combine(model.ModelDirectory, "model-card.json")));

        // Serving's score drift compares live probabilities with these: the test split's, as ONNX Runtime scores it.
        var score = Assert.IsType<NumericStatistics>(stats.Score);
        Assert.Equal(card.Split.TestRows, score.Count);
        Assert.Equal(0, score.Missing);
        Assert.InRange(score.Min!.Value, 0, 1);
        Assert.InRange(score.Max!.Value, score.Min.Value, 1);
        var histogram = Assert.IsType<NumericHistogram>(score.Histogram);
        Assert.Equal(card.Split.TestRows, histogram.Counts.Sum());
        // Fraud is rare: most held-out rows score low, so the median sits far below the mean of the top percent.
        Assert.True(score.P50 < score.P99, $"p50 {score.P50} vs p99 {score.P99}");
    }

    [Fact]
    public void Train_GeneratedData_CardRecordsParityMetricsAndDataVersion()
    {
        var card = ModelCard.FromJson(File.ReadAllText(Path.Combine(model.ModelDirectory, "model-card.json")));

        Assert.True(card.Parity.Passed);
        Assert.Equal(0, card.Parity.LabelMismatches);
        Assert.InRange(card.Parity.MaxAbsProbabilityDelta, 0, 1e-5);
        Assert.Equal(card.Split.TestRows, card.Parity.Rows);
        Assert.Equal(Md5Hex(model.DataPath), card.Data.Md5);
        Assert.Equal(30000, card.Data.Rows);
        // The generated signals are learnable: far better than chance, and PR-AUC well above the ~1% base rate.
        Assert.InRange(card.TestMetrics["roc_auc"], 0.8, 1.0);
        Assert.InRange(card.TestMetrics["pr_auc"], 0.1, 1.0);
        Assert.DoesNotContain(card.Features, f => f.Name is "transaction_id" or "timestamp" or "is_fraud");
        var category = Assert.Single(card.Features, f => f.Name == "merchant_category");
        Assert.Equal("categorical", category.Type);
        Assert.Contains("electronics", category.Categories!);
        Assert.True(card.Environment.Packages.ContainsKey("LightGBM"));
        Assert.Equal("cpu", card.Training.Device);
    }

    [Fact]
    public void Train_GeneratedData_MlModelDescribesOnnxSignature()
    {
        var text = File.ReadAllText(Path.Combine(model.ModelDirectory, "MLmodel"));

        Assert.Contains("  onnx:\n", text, StringComparison.Ordinal);
        Assert.Contains("run_id: ''\n", text, StringComparison.Ordinal);
        Assert.Contains("{\"type\": \"string\", \"name\": \"merchant_category\", \"required\": true}", text, StringComparison.Ordinal);
        Assert.Contains("{\"type\": \"double\", \"name\": \"amount\", \"required\": true}", text, StringComparison.Ordinal);
        Assert.Contains("{\"type\": \"float\", \"name\": \"probability\", \"required\": true}", text, StringComparison.Ordinal);
    }

    [Fact]
    public void OnnxModel_UnseenCategoryAndMissingNumber_ScoresLikeMissing()
    {
        using var session = new InferenceSession(Path.Combine(model.ModelDirectory, "model.onnx"));
        var card = ModelCard.FromJson(File.ReadAllText(Path.Combine(model.ModelDirectory, "model-card.json")));

        float Score(string category, double amount)
        {
            var names = new List<string>();
            var values = new List<OrtValue>();
            try
            {
                foreach (var feature in card.Features)
                {
                    names.Add(feature.Name);
                    values.Add(feature.Type == "categorical"
                        ? OrtValue.CreateFromStringTensor(new Microsoft.ML.OnnxRuntime.Tensors.DenseTensor<string>(new[] { category }, [1, 1]))
                        : OrtValue.CreateTensorValueFromMemory(new[] { feature.Name == "amount" ? amount : 1.0 }, [1, 1]));
                }

                using var results = session.Run(new RunOptions(), names, values, ["probability"]);
                return results[0].GetTensorDataAsSpan<float>()[0];
            }
            finally
            {
                values.ForEach(v => v.Dispose());
            }
        }

        var unseen = Score("a-category-never-seen", double.NaN);
        var missing = Score(string.Empty, double.NaN);
        var known = Score("grocery", 25.0);

        Assert.InRange(unseen, 0f, 1f);
        // An unseen category is encoded exactly like a missing one (-1), so the two scores are the same.
        Assert.Equal(missing, unseen);
        Assert.InRange(known, 0f, 1f);
    }

    private static string Md5Hex(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData(stream));
    }
}
