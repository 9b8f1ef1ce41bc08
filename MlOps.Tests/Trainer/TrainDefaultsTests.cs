using MlOps.Tests.Infrastructure;
using MlOps.Trainer.Model;

namespace MlOps.Tests.Trainer;

// The command line's training choices as a user sees them: the model card, the console and the exit code.
public sealed class TrainDefaultsTests
{
    [Fact]
    public async Task Train_Default_UnweightedAndBetterCalibratedThanBalanced()
    {
        using var temp = new TempDirectory();
        var data = await GenerateAsync(temp, 20_000);

        var plain = await TrainAsync(temp, data, "plain", "--iterations", "60");
        var balanced = await TrainAsync(temp, data, "balanced", "--iterations", "60", "--class-weight", "balanced");

        Assert.Equal("none", plain.Parameters["class_weight"]);
        // Weighting shifts every probability, so the validation log loss rises from the first tree: early stopping
        // watches PR-AUC then.
        Assert.Equal(("log_loss", "pr_auc"), (plain.Parameters["early_stopping_metric"], balanced.Parameters["early_stopping_metric"]));
        Assert.False(plain.Parameters.ContainsKey("scale_pos_weight"));
        Assert.Equal("balanced", balanced.Parameters["class_weight"]);
        var expected = (double)(balanced.Split.TrainRows - balanced.Split.TrainPositives) / balanced.Split.TrainPositives;
        Assert.Equal(expected, double.Parse(balanced.Parameters["scale_pos_weight"], System.Globalization.CultureInfo.InvariantCulture), 9);
        // Weighting positives up inflates every probability: the log loss on the untouched test split shows it.
        Assert.True(plain.TestMetrics["log_loss"] < balanced.TestMetrics["log_loss"],
            $"log loss unweighted {plain.TestMetrics["log_loss"]}, balanced {balanced.TestMetrics["log_loss"]}");
    }

    [Fact]
    public async Task Train_EarlyStoppingZero_KeepsAllIterationsAndTheCardSaysSo()
    {
        using var temp = new TempDirectory();
        var data = await GenerateAsync(temp, 8_000);

        var result = await TrainerRunner.RunAsync(
            "train", "--data", data, "--label", "is_fraud", "--output", temp.File("out"), "--device", "cpu",
            "--iterations", "40", "--learning-rate", "0.5", "--early-stopping-rounds", "0", "--refit", "off");

        Assert.True(result.ExitCode == 0, result.Error);
        var card = await CardAsync(temp.File("out"));
        Assert.Equal(40, card.BestIteration);
        Assert.Equal((0, 40, 40, false), (card.Boosting!.EarlyStoppingRounds, card.Boosting.IterationsRun, card.Boosting.Trees, card.Boosting.Refit));
        Assert.Equal("0", card.Parameters["early_stopping_rounds"]);
        Assert.Contains("40 iterations (early stopping off)", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Train_RefitOn_FinalModelTrainedOnTrainAndValidationWithTheChosenTrees()
    {
        using var temp = new TempDirectory();
        var data = await GenerateAsync(temp, 8_000);

        var refit = await TrainAsync(temp, data, "on", "--iterations", "60", "--refit", "on");
        var kept = await TrainAsync(temp, data, "off", "--iterations", "60", "--refit", "off");

        Assert.True(refit.Boosting!.Refit);
        Assert.Equal(refit.Split.TrainRows + refit.Split.ValidationRows, refit.Boosting.TrainedRows);
        Assert.Equal(refit.Boosting.BestIteration, refit.Boosting.Trees);
        Assert.False(kept.Boosting!.Refit);
        Assert.Equal(kept.Split.TrainRows, kept.Boosting.TrainedRows);
        // The threshold comes from the early-stopped model's validation scores either way.
        Assert.Equal(kept.Threshold.Value, refit.Threshold.Value);
        Assert.Equal(kept.ValidationMetrics["pr_auc"], refit.ValidationMetrics["pr_auc"]);
    }

    [Fact]
    public async Task Train_InferredPositiveClass_SaidOnTheConsoleWithTheReason()
    {
        using var temp = new TempDirectory();
        var data = temp.File("churn.csv");
        var rows = Enumerable.Range(0, 400).Select(i => $"{i % 7},{i % 13},{(i % 5 == 0 ? "yes" : "no")}");
        await File.WriteAllLinesAsync(data, ["a,b,churned", .. rows]).DefaultTimeout();

        var result = await TrainerRunner.RunAsync("train", "--data", data, "--label", "churned", "--output", temp.File("out"), "--device", "cpu", "--iterations", "5");

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("positive class: churned = 'yes' (80 rows, 20.00 %), negative 'no'; inferred: 'yes' reads as a positive label", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Train_MisspeltConfigKey_ExitTwoNamingKeyAndFileWithoutDotNetTypes()
    {
        using var temp = new TempDirectory();
        var config = temp.File("settings.json");
        await File.WriteAllTextAsync(config, """{ "lightgbm": { "num_leafs": 10 } }""").DefaultTimeout();

        var result = await TrainerRunner.RunAsync("train", "--data", temp.File("missing.csv"), "--label", "y", "--config", config);

        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.Error.TrimEnd().Split('\n'));
        Assert.Contains("settings.json: unknown key 'lightgbm.num_leafs' (did you mean 'lightgbm.num_leaves'?)", line, StringComparison.Ordinal);
        Assert.DoesNotContain("MlOps.", line, StringComparison.Ordinal);
        Assert.DoesNotContain("System.", line, StringComparison.Ordinal);
        Assert.DoesNotContain("HyperParameters", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Train_OutputNotWritable_ExitTwoBeforeLoadingAnything()
    {
        using var temp = new TempDirectory();
        var data = await GenerateAsync(temp, 2_000);
        var blocker = temp.File("blocker");
        await File.WriteAllTextAsync(blocker, "a file where a folder should go").DefaultTimeout();

        var result = await TrainerRunner.RunAsync("train", "--data", data, "--label", "is_fraud", "--output", Path.Combine(blocker, "out"));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("not writable", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("load", result.Output, StringComparison.Ordinal);
    }

    private static async Task<string> GenerateAsync(TempDirectory temp, int rows)
    {
        var data = temp.File("transactions.csv");
        var generate = await TrainerRunner.RunAsync("generate", "--rows", rows.ToString(System.Globalization.CultureInfo.InvariantCulture), "--seed", "5", "--out", data);
        Assert.True(generate.ExitCode == 0, generate.Error);
        return data;
    }

    private static async Task<ModelCard> TrainAsync(TempDirectory temp, string data, string name, params string[] extra)
    {
        var output = temp.File(name);
        var result = await TrainerRunner.RunAsync(["train", "--data", data, "--label", "is_fraud", "--output", output, "--device", "cpu", "--seed", "3", .. extra]);
        Assert.True(result.ExitCode == 0, result.Error + result.Output);
        return await CardAsync(output);
    }

    private static async Task<ModelCard> CardAsync(string output) =>
        ModelCard.FromJson(await File.ReadAllTextAsync(Path.Combine(output, "model", "model-card.json")).DefaultTimeout());
}
