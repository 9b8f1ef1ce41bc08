using MlOps.Trainer.Data;

namespace MlOps.Tests.Trainer.Data;

public sealed class XoshiroTests
{
    [Fact]
    public void SplitMix64_SeedZero_MatchesPublishedSequence()
    {
        // Reference values of Vigna's splitmix64.c for x = 0.
        ulong state = 0;

        Assert.Equal(0xE220A8397B1DCDAFUL, Xoshiro256StarStar.SplitMix64(ref state));
        Assert.Equal(0x6E789E6AA1B965F4UL, Xoshiro256StarStar.SplitMix64(ref state));
    }

    [Fact]
    public void NextDouble_ManyDraws_StayInUnitIntervalWithMeanNearHalf()
    {
        var rng = new Xoshiro256StarStar(123);

        var draws = Enumerable.Range(0, 100_000).Select(_ => rng.NextDouble()).ToArray();

        Assert.All(draws, d => Assert.InRange(d, 0.0, 0.9999999999999999));
        Assert.InRange(draws.Average(), 0.49, 0.51);
    }

    [Fact]
    public void NextInt_Bound_CoversEveryValue()
    {
        var rng = new Xoshiro256StarStar(5);

        var counts = new int[7];
        for (var i = 0; i < 70_000; i++)
        {
            counts[rng.NextInt(7)]++;
        }

        Assert.All(counts, c => Assert.InRange(c, 9_000, 11_000));
    }
}
