using MlOps.Trainer.LightGbm;

namespace MlOps.Tests.Trainer.LightGbm;

/// <summary>Small seeded binary-classification problems for exercising the real LightGBM library.</summary>
internal static class SyntheticData
{
    /// <summary>Column 0 carries the signal (label = x0 + small noise &gt; 1, ~16 % positives); columns 1–2 are noise.</summary>
    public static TrainingMatrix Separable(int rows, int seed)
    {
        var random = new Random(seed);
        const int columns = 3;
        var values = new double[rows * columns];
        var labels = new float[rows];
        for (var r = 0; r < rows; r++)
        {
            var x0 = Gaussian(random);
            values[r] = x0;
            values[rows + r] = Gaussian(random);
            values[(2 * rows) + r] = random.NextDouble();
            labels[r] = x0 + (0.2 * Gaussian(random)) > 1.0 ? 1f : 0f;
        }

        return new TrainingMatrix(values, rows, columns, labels, []);
    }

    /// <summary>Labels independent of the features: nothing generalises to a validation set.</summary>
    public static TrainingMatrix Noise(int rows, int seed)
    {
        var random = new Random(seed);
        const int columns = 3;
        var values = new double[rows * columns];
        var labels = new float[rows];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = Gaussian(random);
        }

        for (var r = 0; r < rows; r++)
        {
            labels[r] = random.NextDouble() < 0.2 ? 1f : 0f;
        }

        return new TrainingMatrix(values, rows, columns, labels, []);
    }

    /// <summary>Column 0 is a category code 0–9; categories 2, 5 and 7 are mostly positive. Column 1 is noise.</summary>
    public static TrainingMatrix Categorical(int rows, int seed)
    {
        var random = new Random(seed);
        const int columns = 2;
        var values = new double[rows * columns];
        var labels = new float[rows];
        for (var r = 0; r < rows; r++)
        {
            var category = random.Next(10);
            values[r] = category;
            values[rows + r] = Gaussian(random);
            var positiveRate = category is 2 or 5 or 7 ? 0.9 : 0.05;
            labels[r] = random.NextDouble() < positiveRate ? 1f : 0f;
        }

        return new TrainingMatrix(values, rows, columns, labels, [0]);
    }

    public static LightGbmParameters SmallParameters() => new()
    {
        NumIterations = 60,
        LearningRate = 0.1,
        NumLeaves = 8,
        MinDataInLeaf = 20,
        NumThreads = 2,
        EarlyStoppingRounds = 20,
    };

    private static double Gaussian(Random random)
    {
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }
}
