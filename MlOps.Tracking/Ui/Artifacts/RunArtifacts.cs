using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using MlOps.Tracking.Artifacts;

namespace MlOps.Tracking.Ui.Artifacts;

/// <summary>
/// A run's artifacts as the run page browses them: the run's <c>mlflow-artifacts:/</c> folder in the artifact store,
/// listed and previewed through <see cref="ArtifactStore"/> (which keeps every path under its root), downloaded
/// through the REST API's artifact endpoint.
/// </summary>
public sealed class RunArtifacts(ArtifactStore store)
{
    public const int MaxPreviewBytes = 256 * 1024;
    private const string Scheme = "mlflow-artifacts:/";

    private static readonly string[] s_imageExtensions = [".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg"];
    private static readonly JsonSerializerOptions s_indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly string[] s_textExtensions = [".json", ".yaml", ".yml", ".txt", ".md", ".csv", ".log", ".py", ".toml", ".ini", ".cfg", ".html"];

    /// <summary>The run's folder in the store, or null when its artifacts live elsewhere (another scheme).</summary>
    public static string? RootOf(string artifactUri) =>
        artifactUri.StartsWith(Scheme, StringComparison.Ordinal) ? artifactUri[Scheme.Length..].Trim('/') : null;

    /// <summary>The entries of <paramref name="folder"/> (relative to the run's root), folders first.</summary>
    public IReadOnlyList<FileInfoEntry> List(string root, string? folder)
    {
        var sub = (folder ?? "").Trim('/');
        store.Resolve(sub);
        return [.. store.List(sub.Length == 0 ? root : $"{root}/{sub}", root).OrderBy(e => !e.IsDir).ThenBy(e => e.Path, StringComparer.Ordinal)];
    }

    /// <summary>All image files under <paramref name="folder"/>, e.g. a training's plots.</summary>
    public IReadOnlyList<FileInfoEntry> Images(string root, string folder) =>
        [.. List(root, folder).Where(e => !e.IsDir && IsImage(e.Path))];

    public ArtifactPreview Preview(string root, string path)
    {
        path = path.Trim('/');
        store.Resolve(path);
        var full = store.Resolve($"{root}/{path}");
        var url = DownloadUrl(root, path);
        if (!File.Exists(full))
        {
            return new ArtifactPreview(path, ArtifactPreviewKind.Missing, 0, url);
        }

        var size = new FileInfo(full).Length;
        if (IsImage(path))
        {
            return new ArtifactPreview(path, ArtifactPreviewKind.Image, size, url);
        }

        return IsText(path) ? ReadText(full, path, size, url) : new ArtifactPreview(path, ArtifactPreviewKind.Binary, size, url);
    }

    /// <summary>The REST API's download URL of a file under the run's root.</summary>
    public static string DownloadUrl(string root, string path) =>
        "/api/2.0/mlflow-artifacts/artifacts/" + string.Join('/', $"{root}/{path}".Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.EscapeDataString));

    public static bool IsImage(string path) => s_imageExtensions.Contains(Path.GetExtension(path).ToLowerInvariant());

    private static bool IsText(string path) =>
        s_textExtensions.Contains(Path.GetExtension(path).ToLowerInvariant()) || Path.GetFileName(path) is "MLmodel" or "requirements.txt" or "conda.yaml";

    private static ArtifactPreview ReadText(string full, string path, long size, string url)
    {
        var buffer = new byte[Math.Min(size, MaxPreviewBytes)];
        using (var file = File.OpenRead(full))
        {
            file.ReadExactly(buffer);
        }

        var text = Encoding.UTF8.GetString(buffer);
        var cut = size > MaxPreviewBytes;
        if (!cut && Path.GetExtension(path).Equals(".json", StringComparison.OrdinalIgnoreCase))
        {
            text = Indented(text);
        }

        return new ArtifactPreview(path, ArtifactPreviewKind.Text, size, url, text, cut);
    }

    private static string Indented(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return JsonSerializer.Serialize(document.RootElement, s_indented);
        }
        catch (JsonException)
        {
            // Not valid JSON after all: shown as it is.
            return json;
        }
    }
}
