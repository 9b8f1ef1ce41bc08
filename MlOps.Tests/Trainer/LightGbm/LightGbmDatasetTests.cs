using MlOps.Trainer.LightGbm;

namespace MlOps.Tests.Trainer.LightGbm;

public sealed class LightGbmDatasetTests
{
    private const string Parameters = "objective=binary verbosity=-1 num_threads=1";

    [Fact]
    public void Create_ColumnMajorMatrix_HoldsEveryRow()
    {
        var data = SyntheticData.Separable(321, seed: 31);
        var weights = Enumerable.Repeat(2f, data.Rows).ToArray();

        using var dataset = LightGbmDataset.Create(
            data.ColumnMajor, data.Rows, data.Columns, data.Labels, Parameters, weights: weights);

        Assert.Equal(321, dataset.GetNumData());
        Assert.Equal(3, dataset.Columns);
    }

    [Fact]
    public void Create_WrongLabelCount_ThrowsArgumentException()
    {
        var data = SyntheticData.Separable(100, seed: 32);

        Assert.Throws<ArgumentException>(() =>
            LightGbmDataset.Create(data.ColumnMajor, data.Rows, data.Columns, data.Labels[..99], Parameters));
    }

    [Fact]
    public void Create_MatrixSizeMismatch_ThrowsArgumentException()
    {
        var data = SyntheticData.Separable(100, seed: 33);

        Assert.Throws<ArgumentException>(() =>
            LightGbmDataset.Create(data.ColumnMajor, data.Rows, data.Columns + 1, data.Labels, Parameters));
    }
}
