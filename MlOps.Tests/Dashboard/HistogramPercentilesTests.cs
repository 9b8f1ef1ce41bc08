using MlOps.Dashboard.Telemetry;

namespace MlOps.Tests.Dashboard;

public sealed class HistogramPercentilesTests
{
    [Fact]
    public void Compute_InterpolatesInsideTheBucket()
    {
        double[] bounds = [10, 20, 30];
        ulong[] counts = [10, 10, 10, 0];
        Assert.Equal(15, HistogramPercentiles.Compute(bounds, counts, 0.5));
        Assert.Equal(27, HistogramPercentiles.Compute(bounds, counts, 0.9)!.Value, 6);
        Assert.Equal(0, HistogramPercentiles.Compute(bounds, counts, 0));
    }

    [Fact]
    public void Compute_OpenLastBucket_EndsAtMax()
    {
        Assert.Equal(150, HistogramPercentiles.Compute([100], [0, 10], 0.5, min: 120, max: 200));
        Assert.Equal(100, HistogramPercentiles.Compute([100], [0, 10], 0.5));
    }

    [Fact]
    public void Compute_EmptyOrMismatched_IsNull()
    {
        Assert.Null(HistogramPercentiles.Compute([1, 2], [0, 0, 0], 0.5));
        Assert.Null(HistogramPercentiles.Compute([1, 2], [1, 1], 0.5));
    }
}
