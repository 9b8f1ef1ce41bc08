using Microsoft.Extensions.Configuration;

namespace MlOps.AppHost;

/// <summary>A container image reference split into name and tag.</summary>
internal sealed record ImageReference(string Image, string Tag)
{
    public string Reference => $"{Image}:{Tag}";

    // "registry:5000/name:tag" → ("registry:5000/name", "tag"); a colon before the last slash is a registry port.
    public static ImageReference Parse(string value)
    {
        var colon = value.LastIndexOf(':');
        return colon > value.LastIndexOf('/') ? new(value[..colon], value[(colon + 1)..]) : new(value, "latest");
    }
}

/// <summary>The images the AppHost uses (section <c>Images</c>), so tests and air-gapped machines can point at local ones.</summary>
internal sealed class ImageSettings(IConfiguration configuration)
{
    public ImageReference Postgres { get; } = ImageReference.Parse(configuration["Images:postgres"] ?? "docker.io/library/postgres:17.6");

    public ImageReference Mlflow { get; } = ImageReference.Parse(configuration["Images:mlflow"] ?? "ghcr.io/mlflow/mlflow:v2.19.0");
}
