using MlOps.Trainer.LightGbm;

namespace MlOps.Tests.Trainer.LightGbm;

public sealed class LightGbmBoosterTests
{
    [Fact]
    public void SaveModelToString_LoadFromStringThenPredict_IdenticalProbabilities()
    {
        var train = SyntheticData.Separable(1200, seed: 21);
        var test = SyntheticData.Separable(300, seed: 22);
        var parameterString = SyntheticData.SmallParameters().ToParameterString([]);
        using var trainSet = LightGbmDataset.Create(train.ColumnMajor, train.Rows, train.Columns, train.Labels, parameterString);
        using var booster = LightGbmBooster.Create(trainSet, parameterString, numThreads: 2);
        for (var i = 0; i < 30; i++)
        {
            booster.UpdateOneIteration();
        }

        var modelText = booster.SaveModelToString(20);
        using var loaded = LightGbmBooster.LoadFromString(modelText, numThreads: 2);

        Assert.Equal(30, booster.CurrentIteration);
        Assert.Equal(20, loaded.CurrentIteration);
        Assert.Equal(3, loaded.NumFeatures);
        var expected = booster.Predict(test.ColumnMajor, test.Rows, test.Columns, numIteration: 20);
        Assert.Equal(expected, loaded.Predict(test.ColumnMajor, test.Rows, test.Columns));
        Assert.NotEqual(expected, booster.Predict(test.ColumnMajor, test.Rows, test.Columns));
        var raw = loaded.Predict(test.ColumnMajor, test.Rows, test.Columns, raw: true);
        for (var i = 0; i < raw.Length; i++)
        {
            Assert.Equal(expected[i], 1.0 / (1.0 + Math.Exp(-raw[i])), 12);
        }
    }

    [Fact]
    public void GetEvaluation_TrainingAndValidation_ReturnsAllThreeMetricsByName()
    {
        var train = SyntheticData.Separable(800, seed: 23);
        var validation = SyntheticData.Separable(400, seed: 24);
        var parameterString = SyntheticData.SmallParameters().ToParameterString([])
            .Replace("metric=binary_logloss", "metric=binary_logloss,auc,average_precision", StringComparison.Ordinal);
        using var trainSet = LightGbmDataset.Create(train.ColumnMajor, train.Rows, train.Columns, train.Labels, parameterString);
        using var validationSet = LightGbmDataset.Create(
            validation.ColumnMajor, validation.Rows, validation.Columns, validation.Labels, parameterString, trainSet);
        using var booster = LightGbmBooster.Create(trainSet, parameterString, numThreads: 2);
        booster.AddValidation(validationSet);
        booster.UpdateOneIteration();

        var trainMetrics = booster.GetEvaluation(0);
        var validationMetrics = booster.GetEvaluation(1);

        Assert.Equal(["auc", "average_precision", "binary_logloss"], trainMetrics.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(["auc", "average_precision", "binary_logloss"], validationMetrics.Keys.Order(StringComparer.Ordinal));
        Assert.InRange(validationMetrics["auc"], 0.5, 1.0);
        Assert.InRange(validationMetrics["binary_logloss"], 0.0, 1.0);
    }

    [Fact]
    public void Create_UnknownObjective_ThrowsLightGbmExceptionWithLightGbmMessage()
    {
        var train = SyntheticData.Separable(200, seed: 25);
        const string parameters = "objective=not_a_real_objective verbosity=-1 num_threads=1";

        var exception = Assert.Throws<LightGbmException>(() =>
        {
            using var dataset = LightGbmDataset.Create(train.ColumnMajor, train.Rows, train.Columns, train.Labels, parameters);
            using var booster = LightGbmBooster.Create(dataset, parameters, numThreads: 1);
        });

        Assert.Contains("not_a_real_objective", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_InvalidNumLeaves_ThrowsLightGbmExceptionNamingTheCheck()
    {
        var train = SyntheticData.Separable(200, seed: 26);
        const string parameters = "objective=binary num_leaves=1 verbosity=-1 num_threads=1";

        var exception = Assert.Throws<LightGbmException>(() =>
        {
            using var dataset = LightGbmDataset.Create(train.ColumnMajor, train.Rows, train.Columns, train.Labels, parameters);
            using var booster = LightGbmBooster.Create(dataset, parameters, numThreads: 1);
        });

        Assert.Contains("num_leaves", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadFromString_NotAModel_ThrowsLightGbmException()
    {
        var exception = Assert.Throws<LightGbmException>(() => LightGbmBooster.LoadFromString("this is not a model"));

        Assert.False(string.IsNullOrWhiteSpace(exception.Message));
    }

    [Fact]
    public void Dispose_DatasetBeforeBooster_BoosterStillTrains()
    {
        var train = SyntheticData.Separable(500, seed: 27);
        var parameterString = SyntheticData.SmallParameters().ToParameterString([]);
        var trainSet = LightGbmDataset.Create(train.ColumnMajor, train.Rows, train.Columns, train.Labels, parameterString);
        using var booster = LightGbmBooster.Create(trainSet, parameterString, numThreads: 2);
        trainSet.Dispose();

        booster.UpdateOneIteration();
        booster.UpdateOneIteration();

        Assert.Equal(2, booster.CurrentIteration);
        Assert.True(booster.GetEvaluation(0)["binary_logloss"] < Math.Log(2));
    }

    [Fact]
    public void GetPredictions_Validation_EqualsPredictingTheSameRows()
    {
        var train = SyntheticData.Separable(800, seed: 28);
        var validation = SyntheticData.Separable(300, seed: 29);
        var parameterString = SyntheticData.SmallParameters().ToParameterString([]);
        using var trainSet = LightGbmDataset.Create(train.ColumnMajor, train.Rows, train.Columns, train.Labels, parameterString);
        using var validationSet = LightGbmDataset.Create(
            validation.ColumnMajor, validation.Rows, validation.Columns, validation.Labels, parameterString, trainSet);
        using var booster = LightGbmBooster.Create(trainSet, parameterString, numThreads: 2);
        booster.AddValidation(validationSet);
        booster.UpdateOneIteration();
        booster.UpdateOneIteration();

        var kept = booster.GetPredictions(1);

        var predicted = booster.Predict(validation.ColumnMajor, validation.Rows, validation.Columns);
        Assert.Equal(predicted.Length, kept.Length);
        Assert.All(Enumerable.Range(0, kept.Length), i => Assert.Equal(predicted[i], kept[i], 12));
    }
}
