using MlOps.Tests.AppHost;

namespace MlOps.Tests.Compose;

/// <summary>The real AppHost's compose export, run as <c>dotnet run --project MlOps.AppHost -- --publisher compose
/// --output-path DIR</c> runs it.</summary>
public static class AppHostCompose
{
    /// <summary>Settings for a machine without a registry: local images, our tracking server for MLflow, the given
    /// ports, volume names of its own, a small training set.</summary>
    public static string[] LocalImages(string id, ComposeTopology.Ports ports) =>
    [
        "--Mlflow:Server=tracking", $"--Images:postgres={ComposeTopology.PostgresImage}",
        $"--Images:dotnet-sdk={ComposeTopology.SdkImage}", $"--Images:dotnet-runtime={ComposeTopology.RuntimeImage}",
        $"--Ports:mlflow={ports.Mlflow}", $"--Ports:serving={ports.Serving}", $"--AppHost:Name=mlops-compose-{id}", "--Training:Rows=20000",
    ];

    public static async Task<ComposeFiles> PublishAsync(string output, params string[] settings)
    {
        var (exitCode, log) = await AppHostCli.RunAsync(["--publisher", "compose", "--output-path", output, .. settings]);

        Assert.True(exitCode == 0 && File.Exists(Path.Combine(output, "docker-compose.yml")), log);
        // The publisher says what it wrote.
        Assert.Contains($"Wrote {Path.Combine(output, "docker-compose.yml")}", log, StringComparison.Ordinal);
        return new ComposeFiles(output);
    }
}
