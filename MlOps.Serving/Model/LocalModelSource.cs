using Microsoft.Extensions.Options;

namespace MlOps.Serving.Model;

/// <summary>A model folder given as a path or a <c>file://</c> URI.</summary>
/// <remarks>A relative path is relative to the process' working directory, where the user started it.</remarks>
public sealed class LocalModelSource : IModelSource
{
    private readonly Func<string?> _uri;

    /// <summary>The source of the configured <c>MODEL_URI</c>.</summary>
    public LocalModelSource(IOptions<ServingOptions> options)
        : this(() => options.Value.ModelUri)
    {
    }

    internal LocalModelSource(Func<string?> uri)
    {
        _uri = uri;
    }

    public Task<ResolvedModel> ResolveAsync(CancellationToken cancellationToken)
    {
        var uri = _uri()
            ?? throw new ModelLoadException($"No model URI is configured: set {ServingOptions.ModelUriVariable} or Model:Uri.");
        return Task.FromResult(new ResolvedModel(ToDirectory(uri), uri));
    }

    internal static string ToDirectory(string uri)
    {
        string path;
        if (uri.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
        {
            path = Uri.TryCreate(uri, UriKind.Absolute, out var parsed) && parsed.IsFile
                ? parsed.LocalPath
                : throw new ModelLoadException($"'{uri}' is not a valid file URI.");
        }
        else if (uri.Contains(":/", StringComparison.Ordinal) && !Path.IsPathFullyQualified(uri))
        {
            throw new ModelLoadException(
                $"'{uri}': only local folders and file:// URIs are supported here (models:/, runs:/ and mlflow-artifacts:/ go through the tracking server).");
        }
        else
        {
            path = uri;
        }

        path = Path.GetFullPath(path);
        return Directory.Exists(path) ? path : throw new ModelLoadException($"Model folder '{path}' does not exist.");
    }
}
