using System.Globalization;

namespace MlOps.Mlflow;

/// <summary>What a <see cref="ModelUri"/> points at.</summary>
public enum ModelUriKind
{
    /// <summary><c>models:/name@alias</c>, <c>models:/name/3</c>, <c>models:/name/latest</c> or <c>models:/name/Stage</c>.</summary>
    Registry,

    /// <summary><c>runs:/run_id/path</c>: a path under a run's artifacts.</summary>
    Run,

    /// <summary><c>mlflow-artifacts:/…</c>: artifacts proxied by the tracking server.</summary>
    MlflowArtifacts,

    /// <summary>A local folder: a path or a <c>file://</c> URI.</summary>
    Local,
}

/// <summary>
/// A model location in MLflow's URI forms: <c>models:/name@alias</c>, <c>models:/name/version</c>,
/// <c>models:/name/latest</c>, <c>models:/name/Stage</c>, <c>runs:/run_id/path</c>, <c>mlflow-artifacts:/path</c>,
/// <c>file:///path</c> or a plain local path.
/// </summary>
public sealed record ModelUri
{
    private const string ModelsPrefix = "models:/";
    private const string RunsPrefix = "runs:/";
    private const string ArtifactsPrefix = "mlflow-artifacts:";

    private ModelUri(string original, ModelUriKind kind)
    {
        Original = original;
        Kind = kind;
    }

    /// <summary>The text the URI was parsed from.</summary>
    public string Original { get; }

    /// <summary>What the URI points at.</summary>
    public ModelUriKind Kind { get; }

    /// <summary>The registered model's name (registry URIs).</summary>
    public string? Name { get; private init; }

    /// <summary>The version number (<c>models:/name/3</c>).</summary>
    public string? Version { get; private init; }

    /// <summary>The alias (<c>models:/name@alias</c>).</summary>
    public string? Alias { get; private init; }

    /// <summary>The legacy stage (<c>models:/name/Production</c>), or <c>latest</c> for the newest version of any stage.</summary>
    public string? Stage { get; private init; }

    /// <summary>The run id (<c>runs:/</c> URIs).</summary>
    public string? RunId { get; private init; }

    /// <summary>The artifact path: under the run (<c>runs:/</c>) or under the proxied root (<c>mlflow-artifacts:</c>).</summary>
    public string? ArtifactPath { get; private init; }

    /// <summary>The full local path (local URIs).</summary>
    public string? LocalPath { get; private init; }

    /// <summary>Whether this is <c>models:/name/latest</c>.</summary>
    public bool IsLatest => string.Equals(Stage, "latest", StringComparison.OrdinalIgnoreCase);

    /// <summary>Parses a model URI.</summary>
    /// <param name="value">The URI text.</param>
    /// <returns>The parsed URI.</returns>
    /// <exception cref="FormatException">The text is not a supported model URI; the message says what is expected.</exception>
    public static ModelUri Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var text = value.Trim();
        if (text.Length == 0)
        {
            throw new FormatException("A model URI must not be empty; expected models:/name@alias, models:/name/version, runs:/run_id/path or a folder.");
        }

        if (text.StartsWith(ModelsPrefix, StringComparison.Ordinal))
        {
            return ParseModels(text);
        }

        if (text.StartsWith(RunsPrefix, StringComparison.Ordinal))
        {
            return ParseRuns(text);
        }

        if (text.StartsWith(ArtifactsPrefix, StringComparison.OrdinalIgnoreCase))
        {
            var path = ParsePath(text, () => ArtifactPaths.FromUri(text));
            return path.Length == 0
                ? throw new FormatException($"'{text}' names no artifact path; expected mlflow-artifacts:/<exp>/<run>/artifacts/<path>.")
                : new ModelUri(text, ModelUriKind.MlflowArtifacts) { ArtifactPath = path };
        }

        if (text.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
        {
            if (!Uri.TryCreate(text, UriKind.Absolute, out var fileUri) || !fileUri.IsFile)
            {
                throw new FormatException($"'{text}' is not a valid file URI; expected file:///absolute/path.");
            }

            return new ModelUri(text, ModelUriKind.Local) { LocalPath = Path.GetFullPath(fileUri.LocalPath) };
        }

        var colon = text.IndexOf(':', StringComparison.Ordinal);
        // A scheme is letters before ':' (two or more, so Windows drive letters stay paths).
        if (colon > 1 && text[..colon].All(c => char.IsAsciiLetterOrDigit(c) || c is '+' or '-' or '.'))
        {
            throw new FormatException(
                $"Model URI scheme '{text[..colon]}:' is not supported; expected models:/, runs:/, mlflow-artifacts:/, file:// or a local path.");
        }

        return new ModelUri(text, ModelUriKind.Local) { LocalPath = Path.GetFullPath(text) };
    }

    /// <summary>Parses a model URI without throwing.</summary>
    /// <param name="value">The URI text.</param>
    /// <param name="uri">The parsed URI, or null.</param>
    /// <returns>Whether it parsed.</returns>
    public static bool TryParse(string? value, out ModelUri? uri)
    {
        try
        {
            uri = value is null ? null : Parse(value);
            return uri is not null;
        }
        catch (Exception e) when (e is FormatException or ArgumentException or NotSupportedException)
        {
            uri = null;
            return false;
        }
    }

    /// <summary>The URI text.</summary>
    /// <returns>The text it was parsed from.</returns>
    public override string ToString() => Original;

    private static ModelUri ParseModels(string text)
    {
        const string Expected = "expected models:/<name>@<alias>, models:/<name>/<version>, models:/<name>/latest or models:/<name>/<stage>";
        var rest = text[ModelsPrefix.Length..];
        if (rest.StartsWith('/'))
        {
            throw new FormatException($"'{text}': models:// with a registry host is not supported; {Expected}.");
        }

        var at = rest.LastIndexOf('@');
        if (at >= 0)
        {
            var name = rest[..at];
            var alias = rest[(at + 1)..];
            if (name.Length == 0 || alias.Length == 0 || name.Contains('/', StringComparison.Ordinal) || alias.Contains('/', StringComparison.Ordinal))
            {
                throw new FormatException($"'{text}' is not a valid model alias URI; {Expected}.");
            }

            return new ModelUri(text, ModelUriKind.Registry) { Name = name, Alias = alias };
        }

        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == rest.Length - 1 || rest.IndexOf('/', slash + 1) >= 0)
        {
            throw new FormatException($"'{text}' is not a valid model URI; {Expected}.");
        }

        var modelName = rest[..slash];
        var suffix = rest[(slash + 1)..];
        if (suffix.All(char.IsAsciiDigit))
        {
            if (!long.TryParse(suffix, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number < 1)
            {
                throw new FormatException($"'{text}': a model version is a positive integer; {Expected}.");
            }

            return new ModelUri(text, ModelUriKind.Registry) { Name = modelName, Version = number.ToString(CultureInfo.InvariantCulture) };
        }

        return new ModelUri(text, ModelUriKind.Registry) { Name = modelName, Stage = suffix };
    }

    private static string ParsePath(string text, Func<string> parse)
    {
        try
        {
            return parse();
        }
        catch (ArgumentException e)
        {
            throw new FormatException($"'{text}': {e.Message}", e);
        }
    }

    private static ModelUri ParseRuns(string text)
    {
        var rest = text[RunsPrefix.Length..].TrimStart('/');
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var runId = slash < 0 ? rest : rest[..slash];
        var path = slash < 0 ? string.Empty : ParsePath(text, () => ArtifactPaths.Normalize(rest[(slash + 1)..]));
        if (runId.Length == 0 || !runId.All(char.IsAsciiLetterOrDigit))
        {
            throw new FormatException($"'{text}' is not a valid run URI; expected runs:/<run_id>/<artifact path>.");
        }

        return new ModelUri(text, ModelUriKind.Run) { RunId = runId, ArtifactPath = path };
    }
}
