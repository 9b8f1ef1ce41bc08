using System.Diagnostics;
using MlOps.Tests.Infrastructure;

namespace MlOps.Tests.Hosting.Docker;

/// <summary>What the container tests need from the machine: a Docker engine (test.sh prepares one with
/// ../shared/docker/local-images.sh), the locally made base images, and a docker CLI that builds with BuildKit.</summary>
public static class DockerTestEnvironment
{
    public const string DebianImage = "local/debian:bookworm";
    public const string PostgresImage = "local/postgres:15";
    public const string SdkImage = "local/dotnet-sdk:10.0";
    public const string RuntimeImage = "local/dotnet-aspnet:10.0";

    /// <summary>A docker CLI that can build with BuildKit: <c>docker</c> when it has the buildx plugin; otherwise Debian's
    /// docker.io client (/usr/bin/docker, 20.10, BuildKit built in), which a newer client without buildx may shadow on PATH.</summary>
    public static string Cli { get; } = FindCli();

    /// <summary>The AppHost settings of container mode in tests: the CLI, and the host's CA bundle for restores in
    /// image builds (the machine's network may inspect TLS; on other machines the bundle is simply the system's).</summary>
    public static string[] Settings =>
    [
        "--AppHost:Runtime=docker",
        $"--AppHost:ContainerCli={Cli}",
        "--AppHost:BuildSecrets:ca-certificates=/etc/ssl/certs/ca-certificates.crt",
    ];

    /// <summary>Runs the docker CLI; returns its exit code and stdout.</summary>
    public static async Task<(int Code, string Output)> RunAsync(params string[] args)
    {
        var info = new ProcessStartInfo(Cli) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().DefaultTimeout();
        return (process.ExitCode, (await stdout.DefaultTimeout()) + (await stderr.DefaultTimeout()));
    }

    /// <summary>Ids of containers or networks carrying <paramref name="label"/> (<c>key=value</c>).</summary>
    public static async Task<string[]> WithLabelAsync(string kind, string label)
    {
        var (_, output) = await RunAsync(kind == "network" ? ["network", "ls", "-q", "--filter", $"label={label}"] : ["ps", "-aq", "--filter", $"label={label}"]);
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    public static async Task<bool> VolumeExistsAsync(string name) => (await RunAsync("volume", "inspect", name)).Code == 0;

    public static async Task RemoveVolumesAsync(params string[] names)
    {
        foreach (var name in names)
        {
            await RunAsync("volume", "rm", "-f", name);
        }
    }

    private static string FindCli()
    {
        try
        {
            using var buildx = Process.Start(new ProcessStartInfo("docker", "buildx version") { RedirectStandardOutput = true, RedirectStandardError = true });
            buildx!.WaitForExit(10_000);
            if (buildx.HasExited && buildx.ExitCode == 0)
            {
                return "docker";
            }
        }
        catch (System.ComponentModel.Win32Exception)
        {
        }

        return File.Exists("/usr/bin/docker") ? "/usr/bin/docker" : "docker";
    }
}
