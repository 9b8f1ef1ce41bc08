namespace MlOps.Tests.Trainer.Onnx;

public class GbdtModelTests
{
    private const double Tolerance = 1e-12;

    // Expected raw scores worked out by hand from the fixture's trees (see binary_numeric.txt).
    [Theory]
    [InlineData(double.NaN, double.NaN, 0.0, double.NaN, 0.12 + 0.05 + 0.07)] // NaN default-left, None NaN -> 0 both ways
    [InlineData(20.0, -5.0, double.NaN, 1.0, -0.08 - 0.2 + 0.07)] // NaN default-right
    [InlineData(10.5, -2.25, 5.0, 0.5, -0.3 + 0.05 + 0.07)] // values equal to thresholds go left
    [InlineData(double.NaN, 3.0, 1.0, 2.0, 0.12 + 0.31 + 0.07)] // NaN on a default-right split goes right
    [InlineData(500.0, 0.0, 3.75, 0.6, 0.45 + 0.31 + 0.07)]
    public void PredictRaw_NumericFixture_FollowsLightGbmMissingValueRules(
        double amount, double age, double balance, double score, double expected)
    {
        var model = OnnxFixtures.Model(OnnxFixtures.Numeric);

        Assert.Equal(expected, model.PredictRaw([amount, age, balance, score]), Tolerance);
    }

    // Expected raw scores worked out by hand from the fixture's trees (see binary_categorical.txt).
    [Theory]
    [InlineData(10.0, 40.0, 4.0, 0.4 + 0.22 - 0.05)] // category 40 lives in the second bitset word
    [InlineData(double.NaN, 31.0, 2.0, -0.25 - 0.15 - 0.05)] // bit 31 of the first word
    [InlineData(100.0, -1.0, -1.0, 0.1 + 0.05 - 0.05)] // negative codes go right
    [InlineData(0.0, 70.0, 0.0, -0.25 + 0.22 + 0.3)] // third bitset word
    [InlineData(0.0, double.NaN, double.NaN, 0.1 + 0.22 - 0.05)] // NaN categories go right
    [InlineData(0.0, 64.0, 1.0, 0.1 + 0.22 + 0.3)]
    [InlineData(0.0, 3.0, 0.0, 0.4 + 0.22 - 0.05)]
    [InlineData(0.0, 200.0, 3.0, 0.1 + 0.22 - 0.05)] // codes past the bitset go right
    public void PredictRaw_CategoricalFixture_UsesBitsetMembership(
        double amount, double merchant, double country, double expected)
    {
        var model = OnnxFixtures.Model(OnnxFixtures.Categorical);

        Assert.Equal(expected, model.PredictRaw([amount, merchant, country]), Tolerance);
    }

    [Fact]
    public void PredictProbability_SigmoidCoefficient_ScalesTheRawScore()
    {
        var model = OnnxFixtures.Model(OnnxFixtures.Categorical);
        double[] row = [10.0, 40.0, 4.0];

        var probability = model.PredictProbability(row);

        Assert.Equal(1.0 / (1.0 + Math.Exp(-0.7 * 0.57)), probability, Tolerance);
    }

    [Fact]
    public void PredictRaw_WrongFeatureCount_ThrowsArgumentException()
    {
        var model = OnnxFixtures.Model(OnnxFixtures.Numeric);

        Assert.Throws<ArgumentException>(() => model.PredictRaw([1.0, 2.0]));
    }
}
