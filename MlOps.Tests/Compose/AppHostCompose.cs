using System.Diagnostics;
using MlOps.Tests.Infrastructure;

namespace MlOps.Tests.Compose;

/// <summary>The real AppHost's compose export: the built <c>MlOps.AppHost.dll</c> run as
/// <c>dotnet run --project MlOps.AppHost -- --publisher compose --output-path DIR</c> runs it.</summary>
public static class AppHostCompose
{
    /// <summary>Settings for a machine without a registry: local images, our tracking server for MLflow, the given
    /// ports, volume names of its own, a small training set.</summary>
    public static string[] LocalImages(string id, ComposeTopology.Ports ports) =>
    [
        "--Mlflow:Server=tracking", $"--Images:postgres={ComposeTopology.PostgresImage}:15",
        $"--Images:dotnet-sdk={ComposeTopology.SdkImage}", $"--Images:dotnet-runtime={ComposeTopology.RuntimeImage}",
        $"--Ports:mlflow={ports.Mlflow}", $"--Ports:serving={ports.Serving}", $"--AppHost:Name=mlops-compose-{id}", "--Training:Rows=20000",
    ];

    public static async Task<ComposeFiles> PublishAsync(string output, params string[] settings)
    {
        var configuration = AppContext.BaseDirectory.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
        var appHost = Path.Combine(ComposeTopology.RepoRoot, "MlOps.AppHost", "bin", configuration, "net10.0", "MlOps.AppHost.dll");
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = ComposeTopology.RepoRoot };
        foreach (var arg in new[] { appHost, "--publisher", "compose", "--output-path", output }.Concat(settings))
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().DefaultTimeout();
        var log = await stdout.DefaultTimeout() + await stderr.DefaultTimeout();
        Assert.True(process.ExitCode == 0 && File.Exists(Path.Combine(output, "docker-compose.yml")), log);
        // The publisher says what it wrote.
        Assert.Contains($"Wrote {Path.Combine(output, "docker-compose.yml")}", log, StringComparison.Ordinal);
        return new ComposeFiles(output);
    }
}
