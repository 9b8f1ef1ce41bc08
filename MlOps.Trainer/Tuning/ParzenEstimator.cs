using MlOps.Trainer.Data;

namespace MlOps.Trainer.Tuning;

/// <summary>
/// A mixture of normals truncated to [low, high]: one per observation, plus a prior centred on the range with the
/// range as its width, so an empty or one-sided history still explores. Each observation's width is the larger gap
/// to its neighbours among the observations and the prior's centre (not the bounds, which would make the outermost
/// points as wide as the range), kept between range / min(100, n + 1) and the range: Optuna's rule.
/// </summary>
internal sealed class ParzenEstimator
{
    private readonly double[] _means;
    private readonly double[] _sigmas;
    private readonly double[] _mass;
    private readonly double _low;
    private readonly double _high;

    public ParzenEstimator(double[] observations, double low, double high)
    {
        _low = low;
        _high = high;
        var range = high - low;
        var prior = (low + high) / 2;
        var points = observations.Append(prior).Order().ToArray();
        var minimum = range / Math.Min(100, observations.Length + 1);
        var means = new List<double>(points.Length);
        var sigmas = new List<double>(points.Length);
        var priorTaken = false;
        for (var i = 0; i < points.Length; i++)
        {
            means.Add(points[i]);
            if (!priorTaken && points[i] == prior)
            {
                // The prior keeps the whole range as its width.
                priorTaken = true;
                sigmas.Add(range);
                continue;
            }

            var left = i > 0 ? points[i] - points[i - 1] : 0;
            var right = i < points.Length - 1 ? points[i + 1] - points[i] : 0;
            sigmas.Add(Math.Clamp(Math.Max(left, right), minimum, range));
        }

        _means = [.. means];
        _sigmas = [.. sigmas];
        _mass = [.. _means.Select((m, i) => Normal.Cdf((high - m) / _sigmas[i]) - Normal.Cdf((low - m) / _sigmas[i]))];
    }

    public double Sample(Xoshiro256StarStar rng)
    {
        var k = rng.NextInt(_means.Length);
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var x = _means[k] + (_sigmas[k] * Normal.Sample(rng));
            if (x >= _low && x <= _high)
            {
                return x;
            }
        }

        return Math.Clamp(_means[k], _low, _high);
    }

    public double LogDensity(double x)
    {
        var sum = 0.0;
        for (var k = 0; k < _means.Length; k++)
        {
            sum += Normal.Pdf((x - _means[k]) / _sigmas[k]) / (_sigmas[k] * Math.Max(_mass[k], 1e-12));
        }

        return Math.Log(Math.Max(sum / _means.Length, 1e-300));
    }
}

/// <summary>The standard normal distribution.</summary>
internal static class Normal
{
    public static double Pdf(double z) => Math.Exp(-0.5 * z * z) / Math.Sqrt(2 * Math.PI);

    public static double Cdf(double z) => 0.5 * (1 + Erf(z / Math.Sqrt(2)));

    /// <summary>Box–Muller.</summary>
    public static double Sample(Xoshiro256StarStar rng)
    {
        var u1 = 1.0 - rng.NextDouble();
        var u2 = rng.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    // Abramowitz & Stegun 7.1.26: |error| < 1.5e-7, plenty for weighing candidates.
    private static double Erf(double x)
    {
        var sign = Math.Sign(x);
        x = Math.Abs(x);
        var t = 1.0 / (1.0 + (0.3275911 * x));
        var y = 1.0 - ((((((1.061405429 * t) - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.Exp(-x * x);
        return sign * y;
    }
}
