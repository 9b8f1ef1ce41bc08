using MlOps.Tests.Infrastructure;
using MlOps.Trainer;
using MlOps.Trainer.Tuning;

namespace MlOps.Tests.Trainer.Tuning;

public sealed class SearchSpaceTests
{
    [Fact]
    public void Default_CoversTheIssuesParameters()
    {
        Assert.Equal(
            ["learning_rate", "num_leaves", "max_depth", "min_data_in_leaf", "lambda_l1", "lambda_l2", "feature_fraction", "bagging_fraction", "class_weight"],
            SearchSpace.Default.Parameters.Select(p => p.Name));
    }

    [Theory]
    [InlineData("""{ "num_leafs": { "low": 4, "high": 64 } }""", "unknown key 'lightgbm.num_leafs'")]
    [InlineData("""{ "num_leaves": { "low": 1, "high": 64 } }""", "lightgbm.num_leaves must be between 2")]
    [InlineData("""{ "class_weight": { "choices": ["none", "double"] } }""", "'lightgbm.class_weight' must be one of")]
    [InlineData("""{ "learning_rate": { "low": 0, "high": 0.3, "log": true } }""", "low > 0 on a log scale")]
    [InlineData("""{ "learning_rate": 0.1 }""", "'learning_rate' must be an object")]
    public async Task Load_BadSpace_BadInputNamingFileAndKey(string json, string mention)
    {
        using var temp = new TempDirectory();
        var path = temp.File("space.json");
        await File.WriteAllTextAsync(path, json).DefaultTimeout();

        var error = Assert.Throws<BadInputException>(() => SearchSpace.Load(path));

        Assert.Contains("space.json", error.Message, StringComparison.Ordinal);
        Assert.Contains(mention, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_IntegerParameter_SetsAWholeNumberWithinBounds()
    {
        var space = SearchSpace.Parse("""{ "num_leaves": { "low": 4, "high": 64, "log": true } }""", "test");

        var config = space.Apply(new MlOps.Trainer.Training.TrainingConfig(), new Dictionary<string, double> { ["num_leaves"] = Math.Log(10.4) });

        Assert.Equal(10, config.LightGbm.NumLeaves);
    }
}
