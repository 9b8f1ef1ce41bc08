using MlOps.Trainer.Data;
using MlOps.Trainer.Training;

namespace MlOps.Tests.Trainer.Training;

public sealed class FeatureEncoderTests
{
    [Fact]
    public void Encode_MissingAndUnseenCategories_AreNaNNotNegativeCodes()
    {
        // A negative code made LightGBM print "Met negative value in categorical features" for every dataset.
        var table = new DataTable([new StringColumn("kind", ["a", "b", null, "c", ""])]);
        var encoder = FeatureEncoder.Fit(table, [new FeatureSpec("kind", FeatureKind.Categorical)], [0, 1]);

        var codes = encoder.Encode(table, [0, 1, 2, 3, 4]);

        Assert.Equal(0, codes[0]);
        Assert.Equal(1, codes[1]);
        Assert.All(codes[2..], c => Assert.True(double.IsNaN(c)));
    }
}
