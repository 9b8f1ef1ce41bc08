using Microsoft.Extensions.Configuration;

namespace MlOps.AppHost;

/// <summary>The images the AppHost uses (section <c>Images</c>), so tests and air-gapped machines can point at local ones.
/// <c>Images:dotnet-sdk</c> and <c>Images:dotnet-runtime</c>, when set, are the base images of the .NET Dockerfiles
/// (build arguments <c>SDK_IMAGE</c> and <c>RUNTIME_IMAGE</c>); unset, the Dockerfiles' public defaults apply.</summary>
internal sealed class ImageSettings(IConfiguration configuration)
{
    /// <summary>A full reference (<c>registry/name:tag</c>) for Aspire's <c>WithImage</c>.</summary>
    public string Postgres { get; } = configuration["Images:postgres"] ?? "docker.io/library/postgres:17.6";

    /// <summary>The base of <c>deploy/mlflow/Dockerfile</c> (build argument <c>MLFLOW_IMAGE</c>).</summary>
    public string Mlflow { get; } = configuration["Images:mlflow"] ?? "ghcr.io/mlflow/mlflow:v2.19.0";

    public string? DotnetSdk { get; } = NonEmpty(configuration["Images:dotnet-sdk"]);

    public string? DotnetRuntime { get; } = NonEmpty(configuration["Images:dotnet-runtime"]);

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
