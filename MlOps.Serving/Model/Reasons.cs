using System.Text.RegularExpressions;

namespace MlOps.Serving.Model;

/// <summary>
/// Turns an exception from anywhere (the registry client, ONNX Runtime, the file system) into the one-line reason
/// health, logs and 409s show: no credentials from URIs, no line breaks, bounded length.
/// </summary>
internal static partial class Reasons
{
    private const int MaxLength = 600;

    public static string Of(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        // Our own exceptions already say what happened; anything else is unexpected, so its type helps.
        var text = exception is ModelLoadException ? exception.Message : $"{exception.GetType().Name}: {exception.Message}";
        return Clean(text);
    }

    public static string Clean(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var cleaned = LineBreaks().Replace(UserInfo().Replace(text, "://"), " ");
        return cleaned.Length <= MaxLength ? cleaned : cleaned[..MaxLength] + "…";
    }

    // scheme://user:password@host → scheme://host
    [GeneratedRegex(@"://[^/\s@]+@")]
    private static partial Regex UserInfo();

    [GeneratedRegex(@"\s*[\r\n]+\s*")]
    private static partial Regex LineBreaks();
}
