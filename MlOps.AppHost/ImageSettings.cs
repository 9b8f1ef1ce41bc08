using Microsoft.Extensions.Configuration;
using MlOps.Hosting;
using MlOps.Hosting.ApplicationModel;

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

/// <summary>The images the AppHost uses (section <c>Images</c>), so tests and air-gapped machines can point at local ones.
/// <c>Images:dotnet-sdk</c> and <c>Images:dotnet-runtime</c>, when set, are the base images of the .NET Dockerfiles
/// (build arguments <c>SDK_IMAGE</c> and <c>RUNTIME_IMAGE</c>); unset, the Dockerfiles' public defaults apply.</summary>
internal sealed class ImageSettings(IConfiguration configuration)
{
    public ImageReference Postgres { get; } = ImageReference.Parse(configuration["Images:postgres"] ?? "docker.io/library/postgres:17.6");

    public ImageReference Mlflow { get; } = ImageReference.Parse(configuration["Images:mlflow"] ?? "ghcr.io/mlflow/mlflow:v2.19.0");

    public string? DotnetSdk { get; } = NonEmpty(configuration["Images:dotnet-sdk"]);

    public string? DotnetRuntime { get; } = NonEmpty(configuration["Images:dotnet-runtime"]);

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}

internal static class DotnetImageExtensions
{
    /// <summary>Passes the configured .NET base images to a .NET Dockerfile.</summary>
    public static IResourceBuilder<ContainerResource> WithDotnetImages(this IResourceBuilder<ContainerResource> container, ImageSettings images)
    {
        if (images.DotnetSdk is { } sdk)
        {
            container.WithBuildArg("SDK_IMAGE", sdk);
        }

        if (images.DotnetRuntime is { } runtime)
        {
            container.WithBuildArg("RUNTIME_IMAGE", runtime);
        }

        return container;
    }
}
