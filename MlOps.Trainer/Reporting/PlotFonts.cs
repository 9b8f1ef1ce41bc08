using SkiaSharp;

namespace MlOps.Trainer.Reporting;

/// <summary>
/// Picks a sans-serif font family that exists on this machine so plot text renders: DejaVu Sans / Liberation Sans /
/// Noto Sans / Lato if the system font manager has one, else a known font file registered with ScottPlot by path,
/// else ScottPlot's default (Skia's default typeface, e.g. DejaVu Serif on Debian) if the system has it.
/// If nothing is found the plots are still written, with ScottPlot's own fallback.
/// </summary>
internal static class PlotFonts
{
    private static readonly string[] s_candidateFamilies = ["DejaVu Sans", "Liberation Sans", "Noto Sans", "Lato"];

    private static readonly (string Family, string Regular, string Bold)[] s_candidateFiles =
    [
        ("DejaVu Sans", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
        ("Liberation Sans", "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf", "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf"),
    ];

    private static readonly Lazy<string?> s_family = new(Resolve, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The family to give <c>plot.Font.Set</c>, or null to leave ScottPlot's default.</summary>
    public static string? Family => s_family.Value;

    private static string? Resolve()
    {
        try
        {
            foreach (var family in s_candidateFamilies)
            {
                if (FamilyExists(family))
                {
                    return family;
                }
            }

            foreach (var (family, regular, bold) in s_candidateFiles)
            {
                if (File.Exists(regular))
                {
                    ScottPlot.Fonts.AddFontFile(family, regular, bold: false, italic: false);
                    if (File.Exists(bold))
                    {
                        ScottPlot.Fonts.AddFontFile(family, bold, bold: true, italic: false);
                    }

                    return family;
                }
            }

            if (FamilyExists(ScottPlot.Fonts.Default))
            {
                return ScottPlot.Fonts.Default;
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException or ArgumentException)
        {
            // Fall through: plots without a chosen font are better than no plots.
        }

        return null;
    }

    private static bool FamilyExists(string family)
    {
        using var typeface = SKFontManager.Default.MatchFamily(family);
        return typeface is not null && string.Equals(typeface.FamilyName, family, StringComparison.OrdinalIgnoreCase);
    }
}
