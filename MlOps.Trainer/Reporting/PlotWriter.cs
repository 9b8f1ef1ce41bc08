using System.Globalization;
using MlOps.Trainer.Evaluation;
using ScottPlot;

namespace MlOps.Trainer.Reporting;

/// <summary>
/// Writes the evaluation plots as 800×600 PNG files into a folder, each atomically (temp file + rename):
/// <c>pr_curve.png</c>, <c>roc_curve.png</c>, <c>feature_importance.png</c> and <c>score_distribution.png</c>.
/// Every method returns the full path of the file it wrote.
/// </summary>
public static class PlotWriter
{
    public const int Width = 800;

    public const int Height = 600;

    public const string PrCurveFileName = "pr_curve.png";

    public const string RocCurveFileName = "roc_curve.png";

    public const string FeatureImportanceFileName = "feature_importance.png";

    public const string ScoreDistributionFileName = "score_distribution.png";

    public const int TopFeatures = 20;

    public const int HistogramBins = 50;

    /// <summary>Writes all four plots; returns their paths.</summary>
    public static IReadOnlyList<string> WriteAll(
        string folder,
        ReadOnlySpan<float> labels,
        ReadOnlySpan<double> scores,
        BinaryEvaluation evaluation,
        ThresholdChoice threshold,
        IReadOnlyList<FeatureImportance> importances)
    {
        ArgumentNullException.ThrowIfNull(evaluation);
        return
        [
            WritePrecisionRecall(folder, Curves.PrecisionRecall(labels, scores), evaluation.AveragePrecision, threshold),
            WriteRoc(folder, Curves.Roc(labels, scores), evaluation.RocAuc),
            WriteFeatureImportance(folder, importances),
            WriteScoreDistribution(folder, labels, scores, threshold.Threshold),
        ];
    }

    /// <summary>The PR curve, AP in the title, and the chosen threshold's (recall, precision) marked when given.</summary>
    public static string WritePrecisionRecall(string folder, IReadOnlyList<PrecisionRecallPoint> curve, double averagePrecision, ThresholdChoice? chosen)
    {
        ArgumentNullException.ThrowIfNull(curve);
        using var plot = NewPlot();
        var line = plot.Add.ScatterLine(curve.Select(p => p.Recall).ToArray(), curve.Select(p => p.Precision).ToArray());
        line.LineWidth = 2;
        line.LegendText = "precision-recall";
        if (chosen is not null)
        {
            var marker = plot.Add.Marker(chosen.Recall, chosen.Precision);
            marker.MarkerSize = 12;
            marker.Color = Colors.Red;
            marker.LegendText = Invariant($"threshold {chosen.Threshold:0.####} (P {chosen.Precision:0.###}, R {chosen.Recall:0.###})");
        }

        plot.Title(Invariant($"Precision-recall curve (AP = {averagePrecision:0.0000})"));
        plot.XLabel("Recall");
        plot.YLabel("Precision");
        plot.Axes.SetLimits(0, 1, 0, 1.02);
        plot.ShowLegend(Alignment.LowerLeft);
        return Save(plot, folder, PrCurveFileName);
    }

    /// <summary>The ROC curve with the AUC in the title and the chance diagonal.</summary>
    public static string WriteRoc(string folder, IReadOnlyList<RocPoint> curve, double rocAuc)
    {
        ArgumentNullException.ThrowIfNull(curve);
        using var plot = NewPlot();
        var diagonal = plot.Add.Line(0, 0, 1, 1);
        diagonal.LinePattern = LinePattern.Dashed;
        diagonal.Color = Colors.Gray;
        diagonal.LegendText = "chance";
        var line = plot.Add.ScatterLine(curve.Select(p => p.FalsePositiveRate).ToArray(), curve.Select(p => p.TruePositiveRate).ToArray());
        line.LineWidth = 2;
        line.LegendText = "ROC";
        plot.Title(Invariant($"ROC curve (AUC = {rocAuc:0.0000})"));
        plot.XLabel("False positive rate");
        plot.YLabel("True positive rate");
        plot.Axes.SetLimits(0, 1, 0, 1.02);
        plot.ShowLegend(Alignment.LowerRight);
        return Save(plot, folder, RocCurveFileName);
    }

    /// <summary>Horizontal bars of the top 20 features by gain (ties by name), the largest at the top.</summary>
    public static string WriteFeatureImportance(string folder, IReadOnlyList<FeatureImportance> importances)
    {
        ArgumentNullException.ThrowIfNull(importances);
        var top = importances
            .OrderByDescending(f => f.Gain)
            .ThenBy(f => f.Name, StringComparer.Ordinal)
            .Take(TopFeatures)
            .ToList();

        using var plot = NewPlot();
        if (top.Count > 0)
        {
            // Position 0 is the bottom of the axis, so the largest goes at position Count − 1.
            var positions = Enumerable.Range(0, top.Count).Select(i => (double)(top.Count - 1 - i)).ToArray();
            var bars = top.Select((f, i) => new Bar { Position = positions[i], Value = f.Gain, FillColor = Colors.SteelBlue, Size = 0.8 }).ToList();
            var barPlot = plot.Add.Bars(bars);
            barPlot.Horizontal = true;
            plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(positions, top.Select(f => f.Name).ToArray());
            plot.Axes.Margins(left: 0);
        }

        plot.Title(Invariant($"Feature importance (gain, top {Math.Min(TopFeatures, top.Count)})"));
        plot.XLabel("Total gain");
        return Save(plot, folder, FeatureImportanceFileName);
    }

    /// <summary>
    /// Histograms of scores per class as densities (each class integrates to 1) on a log₁₀ axis, so the rare positive
    /// class stays visible next to the negatives; the threshold is a dashed vertical line.
    /// </summary>
    public static string WriteScoreDistribution(string folder, ReadOnlySpan<float> labels, ReadOnlySpan<double> scores, double threshold)
    {
        ThresholdTable.Validate(labels, scores);
        var (min, max) = (double.PositiveInfinity, double.NegativeInfinity);
        foreach (var s in scores)
        {
            if (double.IsFinite(s))
            {
                min = Math.Min(min, s);
                max = Math.Max(max, s);
            }
        }

        if (!(max > min))
        {
            (min, max) = double.IsFinite(min) ? (min - 0.5, min + 0.5) : (0, 1);
        }

        var width = (max - min) / HistogramBins;
        var negative = new long[HistogramBins];
        var positive = new long[HistogramBins];
        for (var i = 0; i < scores.Length; i++)
        {
            if (!double.IsFinite(scores[i]))
            {
                continue;
            }

            var bin = Math.Clamp((int)((scores[i] - min) / width), 0, HistogramBins - 1);
            (labels[i] == 1f ? positive : negative)[bin]++;
        }

        var negativeDensity = Density(negative, width);
        var positiveDensity = Density(positive, width);
        var nonZero = negativeDensity.Concat(positiveDensity).Where(d => d > 0).ToList();
        var floorLog = nonZero.Count == 0 ? -1 : Math.Floor(Math.Log10(nonZero.Min())) - 0.5;
        var topLog = nonZero.Count == 0 ? 1 : Math.Ceiling(Math.Log10(nonZero.Max()));

        using var plot = NewPlot();
        AddDensityBars(plot, negativeDensity, min, width, floorLog, Colors.SteelBlue, Invariant($"negative (n = {negative.Sum()})"));
        AddDensityBars(plot, positiveDensity, min, width, floorLog, Colors.OrangeRed, Invariant($"positive (n = {positive.Sum()})"));

        var line = plot.Add.VerticalLine(threshold);
        line.LinePattern = LinePattern.Dashed;
        line.Color = Colors.Black;
        line.LineWidth = 2;
        line.LegendText = Invariant($"threshold {threshold:0.####}");

        var ticks = new List<double>();
        for (var k = Math.Ceiling(floorLog); k <= topLog; k++)
        {
            ticks.Add(k);
        }

        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ticks.ToArray(), ticks.Select(FormatPowerOfTen).ToArray());
        plot.Axes.SetLimits(min - width, max + width, floorLog, topLog + 0.2);
        plot.Title("Score distribution by class");
        plot.XLabel("Score");
        plot.YLabel("Density (log scale)");
        plot.ShowLegend(Alignment.UpperCenter);
        return Save(plot, folder, ScoreDistributionFileName);
    }

    /// <summary>A search's objective per trial (points) and the best so far (a step line), for <c>tune</c>'s parent run.</summary>
    public static string WriteSearchObjective(string folder, string fileName, IReadOnlyList<(int Trial, double Objective)> trials, string objective)
    {
        ArgumentNullException.ThrowIfNull(trials);
        using var plot = NewPlot();
        var done = trials.Where(t => double.IsFinite(t.Objective)).ToList();
        if (done.Count > 0)
        {
            var points = plot.Add.ScatterPoints(done.Select(t => (double)t.Trial).ToArray(), done.Select(t => t.Objective).ToArray());
            points.MarkerSize = 8;
            points.LegendText = "trial";
            var best = new List<double>();
            foreach (var t in done)
            {
                best.Add(Math.Max(best.Count > 0 ? best[^1] : double.NegativeInfinity, t.Objective));
            }

            var line = plot.Add.ScatterLine(done.Select(t => (double)t.Trial).ToArray(), [.. best]);
            line.ConnectStyle = ConnectStyle.StepHorizontal;
            line.LineWidth = 2;
            line.Color = Colors.Red;
            line.LegendText = "best so far";
        }

        plot.Title(Invariant($"Search: {objective} over {trials.Count} trials"));
        plot.XLabel("Trial");
        plot.YLabel(objective);
        plot.ShowLegend(Alignment.LowerRight);
        return Save(plot, folder, fileName);
    }

    private static double[] Density(long[] counts, double width)
    {
        var total = counts.Sum();
        return counts.Select(c => total == 0 ? 0.0 : c / (total * width)).ToArray();
    }

    private static void AddDensityBars(Plot plot, double[] density, double min, double width, double floorLog, Color color, string legend)
    {
        var bars = new List<Bar>();
        for (var i = 0; i < density.Length; i++)
        {
            if (density[i] > 0)
            {
                bars.Add(new Bar
                {
                    Position = min + ((i + 0.5) * width),
                    ValueBase = floorLog,
                    Value = Math.Log10(density[i]),
                    Size = width,
                    FillColor = color.WithAlpha(0.45),
                    LineColor = color,
                    LineWidth = 1,
                });
            }
        }

        var barPlot = plot.Add.Bars(bars);
        barPlot.LegendText = legend;
        barPlot.Color = color.WithAlpha(0.45);
    }

    private static string FormatPowerOfTen(double exponent) =>
        Math.Pow(10, exponent).ToString(exponent < 0 ? "0.####" : "#,0", CultureInfo.InvariantCulture);

    private static Plot NewPlot()
    {
        var plot = new Plot();
        if (PlotFonts.Family is { } family)
        {
            plot.Font.Set(family);
        }

        return plot;
    }

    private static string Save(Plot plot, string folder, string fileName)
    {
        var path = Path.Combine(Path.GetFullPath(folder), fileName);
        var bytes = plot.GetImageBytes(Width, Height, ImageFormat.Png);
        AtomicFile.WriteAllBytes(path, bytes);
        return path;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
