using System.Buffers.Binary;
using MlOps.Tests.Infrastructure;
using MlOps.Trainer.Evaluation;
using MlOps.Trainer.Reporting;

namespace MlOps.Tests.Trainer.Evaluation;

public sealed class PlotWriterTests
{
    private static readonly byte[] s_pngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    [Fact]
    public void WriteAll_SyntheticScores_Writes800x600PngsAndNoTempFiles()
    {
        using var temp = new TempDirectory();
        var (labels, scores) = Synthetic(20_000, seed: 3);
        var evaluation = BinaryMetrics.Compute(labels, scores, 0.5);
        var choice = ThresholdSelector.MaxF1(labels, scores);
        var importances = Enumerable.Range(0, 30).Select(i => new FeatureImportance($"feature_{i:D2}", 1000.0 / (i + 1))).ToList();

        var paths = PlotWriter.WriteAll(temp.Path, labels, scores, evaluation, choice, importances);

        var expected = new[] { "feature_importance.png", "pr_curve.png", "roc_curve.png", "score_distribution.png" };
        Assert.Equal(expected, paths.Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(expected, Directory.GetFiles(temp.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        foreach (var path in paths)
        {
            AssertPng(path, 800, 600);
        }

        var keep = Environment.GetEnvironmentVariable("MLOPS_KEEP_PLOTS");
        if (!string.IsNullOrEmpty(keep))
        {
            Directory.CreateDirectory(keep);
            foreach (var path in paths)
            {
                File.Copy(path, Path.Combine(keep, Path.GetFileName(path)), overwrite: true);
            }
        }
    }

    [Fact]
    public void WriteScoreDistribution_AllScoresEqual_StillWritesPng()
    {
        using var temp = new TempDirectory();
        float[] labels = [0, 1, 0];
        double[] scores = [0.5, 0.5, 0.5];

        var path = PlotWriter.WriteScoreDistribution(temp.Path, labels, scores, 0.5);

        AssertPng(path, 800, 600);
    }

    [Fact]
    public void WriteFeatureImportance_Existing_ReplacesFile()
    {
        using var temp = new TempDirectory();
        File.WriteAllText(temp.File("feature_importance.png"), "old");

        var path = PlotWriter.WriteFeatureImportance(temp.Path, [new FeatureImportance("amount", 3), new FeatureImportance("age", 1)]);

        AssertPng(path, 800, 600);
        Assert.Single(Directory.GetFiles(temp.Path));
    }

    [Fact]
    public void Family_DejaVuInstalled_PrefersDejaVuSans()
    {
        // The test script installs fonts-dejavu-core; Skia's own default on Debian would be DejaVu Serif.
        if (File.Exists("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"))
        {
            Assert.Equal("DejaVu Sans", PlotFonts.Family);
        }
    }

    private static void AssertPng(string path, int width, int height)
    {
        var bytes = File.ReadAllBytes(path);
        Assert.True(bytes.Length > 33, $"{path} is only {bytes.Length} bytes.");
        Assert.Equal(s_pngSignature, bytes[..8]);
        // The first chunk is IHDR: 4-byte length, "IHDR", then big-endian width and height.
        Assert.Equal("IHDR"u8.ToArray(), bytes[12..16]);
        Assert.Equal(width, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16, 4)));
        Assert.Equal(height, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20, 4)));
    }

    private static (float[] Labels, double[] Scores) Synthetic(int n, int seed)
    {
        var random = new Random(seed);
        var labels = new float[n];
        var scores = new double[n];
        for (var i = 0; i < n; i++)
        {
            // ~2% positives scored higher on average, like a fraud model.
            labels[i] = random.NextDouble() < 0.02 ? 1 : 0;
            var z = labels[i] == 1 ? -1 + (random.NextDouble() * 5) : -4 + (random.NextDouble() * 5.5);
            scores[i] = 1 / (1 + Math.Exp(-z));
        }

        return (labels, scores);
    }
}
