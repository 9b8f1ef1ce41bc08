using MlOps.Trainer.Data;

namespace MlOps.Trainer.Tuning;

/// <summary>A finished trial as the sampler sees it: its values (internal scale) and its objective (higher is better).</summary>
internal sealed record Observation(IReadOnlyDictionary<string, double> Values, double Objective);

/// <summary>
/// A Tree-structured Parzen Estimator (Bergstra et al. 2011; what Optuna and Hyperopt use by default), univariate:
/// after a few random trials, the finished ones are split into the best quarter ("good") and the rest; for each
/// parameter a Parzen density of the good values, l(x), and of the rest, g(x), is built (a truncated normal per
/// observation plus a wide prior), candidates are drawn from l and the one with the highest l(x)/g(x) is taken.
/// Choices use smoothed counts instead. Every draw comes from a generator seeded by the seed and the trial number,
/// so a search is the same every time for a seed.
/// </summary>
internal sealed class TpeSampler(SearchSpace space, int seed, int startupTrials)
{
    private const int Candidates = 24;
    private const double GoodFraction = 0.25;

    public IReadOnlyDictionary<string, double> Next(int trial, IReadOnlyList<Observation> finished)
    {
        var rng = new Xoshiro256StarStar(unchecked(((ulong)(uint)seed << 32) ^ (ulong)(uint)trial ^ 0x9E3779B97F4A7C15UL));
        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        var usable = finished.Where(o => double.IsFinite(o.Objective)).ToList();
        if (usable.Count < Math.Max(startupTrials, 2))
        {
            foreach (var parameter in space.Parameters)
            {
                values[parameter.Name] = Uniform(parameter, rng);
            }

            return values;
        }

        // Stable order: ties keep the earlier trial first.
        var ranked = usable.Select((o, i) => (o, i)).OrderByDescending(x => x.o.Objective).ThenBy(x => x.i).Select(x => x.o).ToList();
        var goodCount = Math.Clamp((int)Math.Ceiling(GoodFraction * ranked.Count), 1, 25);
        var good = ranked.Take(goodCount).ToList();
        var bad = ranked.Skip(goodCount).ToList();
        foreach (var parameter in space.Parameters)
        {
            var goodValues = good.Select(o => o.Values[parameter.Name]).ToArray();
            var badValues = bad.Select(o => o.Values[parameter.Name]).ToArray();
            values[parameter.Name] = parameter.IsChoice
                ? SampleChoice(parameter.Choices!.Count, goodValues, badValues, rng)
                : SampleRange(parameter, goodValues, badValues, rng);
        }

        return values;
    }

    private static double Uniform(SearchParameter parameter, Xoshiro256StarStar rng)
    {
        if (parameter.Choices is { } choices)
        {
            return rng.NextInt(choices.Count);
        }

        var (low, high) = parameter.Internal;
        return Snap(parameter, low + (rng.NextDouble() * (high - low)));
    }

    private static double SampleChoice(int count, double[] good, double[] bad, Xoshiro256StarStar rng)
    {
        var l = Weights(count, good);
        var g = Weights(count, bad);
        var best = -1;
        var bestScore = double.NegativeInfinity;
        for (var c = 0; c < Candidates; c++)
        {
            var pick = Pick(l, rng);
            var score = Math.Log(l[pick]) - Math.Log(g[pick]);
            if (score > bestScore)
            {
                (best, bestScore) = (pick, score);
            }
        }

        return best;
    }

    private static double[] Weights(int count, double[] observed)
    {
        var weights = Enumerable.Repeat(1.0, count).ToArray();
        foreach (var value in observed)
        {
            weights[(int)value] += 1;
        }

        var sum = weights.Sum();
        return [.. weights.Select(w => w / sum)];
    }

    private static int Pick(double[] weights, Xoshiro256StarStar rng)
    {
        var u = rng.NextDouble();
        for (var i = 0; i < weights.Length; i++)
        {
            u -= weights[i];
            if (u < 0)
            {
                return i;
            }
        }

        return weights.Length - 1;
    }

    private static double SampleRange(SearchParameter parameter, double[] good, double[] bad, Xoshiro256StarStar rng)
    {
        var (low, high) = parameter.Internal;
        var l = new ParzenEstimator(good, low, high);
        var g = new ParzenEstimator(bad, low, high);
        var best = double.NaN;
        var bestScore = double.NegativeInfinity;
        for (var c = 0; c < Candidates; c++)
        {
            var x = Snap(parameter, l.Sample(rng));
            var score = l.LogDensity(x) - g.LogDensity(x);
            if (score > bestScore)
            {
                (best, bestScore) = (x, score);
            }
        }

        return best;
    }

    // Whole-number parameters are snapped before scoring, so the density compares the values really tried.
    private static double Snap(SearchParameter parameter, double internalValue)
    {
        if (!parameter.Integer)
        {
            return internalValue;
        }

        var plain = Math.Round(parameter.Log ? Math.Exp(internalValue) : internalValue);
        plain = Math.Clamp(plain, Math.Ceiling(parameter.Low), Math.Floor(parameter.High));
        return parameter.Log ? Math.Log(plain) : plain;
    }
}
