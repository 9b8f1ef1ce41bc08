using MlOps.Tracking.Infrastructure;

namespace MlOps.Tracking.Registry;

/// <summary>
/// MLflow's checks on a model version's source (its server's <c>_validate_source</c>): stored exactly as given
/// (a <c>runs:/</c> source stays <c>runs:/</c>), but never a local path (no run's artifacts live on this server's
/// disk as files of the caller's choosing) and never with <c>..</c> segments that could climb out of a run.
/// </summary>
internal static class ModelVersionSource
{
    // MLflow's model_versions.source is a VARCHAR(500).
    public const int MaxLength = 500;

    public static string Validate(string? source)
    {
        var value = Require.Text(source, "source", MaxLength);
        if (IsLocal(value))
        {
            throw MlflowException.InvalidParameter(
                $"Invalid model version source: '{value}'. A local path cannot be a model version source here: " +
                "register the run's artifacts (runs:/<run_id>/<path> or mlflow-artifacts:/...).");
        }

        var decoded = Uri.UnescapeDataString(value);
        if (decoded.Split('/', '\\').Any(segment => segment is ".." or "."))
        {
            throw MlflowException.InvalidParameter(
                $"Invalid model version source: '{value}'. An absolute path must be provided without relative path references present.");
        }

        return value;
    }

    // A scheme is two or more characters before ':'; anything else (a path, C:\...) or file: is local.
    private static bool IsLocal(string source)
    {
        var colon = source.IndexOf(':', StringComparison.Ordinal);
        var hasScheme = colon > 1 && source[..colon].All(c => char.IsAsciiLetterOrDigit(c) || c is '+' or '-' or '.');
        return !hasScheme || source.StartsWith("file:", StringComparison.OrdinalIgnoreCase);
    }
}
