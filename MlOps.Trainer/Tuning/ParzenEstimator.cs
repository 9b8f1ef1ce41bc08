using MlOps.Trainer.Data;

namespace MlOps.Trainer.Tuning;

/// <summary>
/// A mixture of normals truncated to [low, high]: one per observation, plus a prior centred on the range with the
/// range as its width, so an empty or one-sided history still explores. Each observation's width is the larger gap
/// to its neighbours (bounds included), kept between range / min(100, n + 1) and the range.
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
        var sorted = observations.Order().ToArray();
        var means = new List<double>(sorted) { (low + high) / 2 };
        var sigmas = new List<double>(sorted.Length + 1);
        var minimum = range / Math.Min(100, sorted.Length + 1);
        for (var i = 0; i < sorted.Length; i++)
        {
            var left = sorted[i] - (i > 0 ? sorted[i - 1] : low);
            var right = (i < sorted.Length - 1 ? sorted[i + 1] : high) - sorted[i];
            sigmas.Add(Math.Clamp(Math.Max(left, right), minimum, range));
        }

        sigmas.Add(range);
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
