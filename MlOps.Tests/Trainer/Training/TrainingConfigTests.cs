using MlOps.Tests.Infrastructure;
using MlOps.Trainer;
using MlOps.Trainer.Training;

namespace MlOps.Tests.Trainer.Training;

public sealed class TrainingConfigTests
{
    [Fact]
    public async Task Load_SnakeCaseFile_ReadsEverySection()
    {
        using var temp = new TempDirectory();
        var path = temp.File("config.json");
        await File.WriteAllTextAsync(path, """
            {
              // comments are allowed
              "features": { "exclude": ["foreign"], "max_categories": 50 },
              "split": { "validation": 0.1, "test": 0.2, "timestamp_column": "timestamp" },
              "threshold": { "min_precision": 0.6 },
              "lightgbm": { "num_iterations": 77, "learning_rate": 0.1, "num_leaves": 15, "scale_pos_weight": 3.5 }
            }
            """).DefaultTimeout();

        var config = TrainingConfig.Load(path);

        Assert.Equal(["foreign"], config.Features.Exclude);
        Assert.Equal(50, config.Features.MaxCategories);
        Assert.Equal((0.1, 0.2, "timestamp"), (config.Split.Validation, config.Split.Test, config.Split.TimestampColumn));
        Assert.Equal(0.6, config.Threshold.MinPrecision);
        Assert.Equal((77, 0.1, 15, 3.5), (config.LightGbm.NumIterations, config.LightGbm.LearningRate, config.LightGbm.NumLeaves, config.LightGbm.ScalePosWeight));
        Assert.Equal(50, config.LightGbm.EarlyStoppingRounds); // untouched fields keep their defaults
    }

    [Theory]
    [InlineData("""{ "lightgbm": { "num_leafs": 10 } }""", "num_leafs")]
    [InlineData("""{ "split": { "test": 1.5 } }""", "split.test")]
    [InlineData("""{ "lightgbm": { "learning_rate": 0 } }""", "learning_rate")]
    [InlineData("""{ "threshold": { "min_precision": "high" } }""", "min_precision")]
    [InlineData("""{ "split": """, "config.json")]
    public async Task Load_BadFile_ThrowsNamingFileAndField(string json, string mention)
    {
        using var temp = new TempDirectory();
        var path = temp.File("config.json");
        await File.WriteAllTextAsync(path, json).DefaultTimeout();

        var error = Assert.Throws<BadInputException>(() => TrainingConfig.Load(path));

        Assert.Contains("config.json", error.Message, StringComparison.Ordinal);
        Assert.Contains(mention, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Train_TimeSplitConfig_SplitsByTimestamp()
    {
        using var temp = new TempDirectory();
        var data = temp.File("tx.csv");
        var config = temp.File("config.json");
        await TrainerRunner.RunAsync("generate", "--rows", "6000", "--seed", "2", "--out", data);
        await File.WriteAllTextAsync(config, """{ "split": { "timestamp_column": "timestamp" }, "lightgbm": { "num_iterations": 30 } }""").DefaultTimeout();

        var result = await TrainerRunner.RunAsync("train", "--data", data, "--label", "is_fraud", "--config", config, "--output", temp.File("out"));

        Assert.True(result.ExitCode == 0, result.Error);
        var card = MlOps.Trainer.Model.ModelCard.FromJson(await File.ReadAllTextAsync(temp.File("out/model/model-card.json")).DefaultTimeout());
        Assert.Equal("time (timestamp)", card.Split.Method);
        Assert.Equal(30, int.Parse(card.Parameters["num_iterations"], System.Globalization.CultureInfo.InvariantCulture));
    }
}
