using System.Diagnostics;
using MlOps.Tests.Infrastructure;

namespace MlOps.Tests.AppHost;

/// <summary>What the container tests need from the machine: a Docker engine (test.sh prepares one with
/// ../shared/docker/local-images.sh), the locally made base images, and a Docker CLI 25+ that builds with BuildKit.
/// This machine's Docker 28 CLI has no buildx, so the tests put <c>Fixtures/buildkit-shim</c> first on PATH: its
/// <c>docker</c> sends <c>docker build</c> to Debian's BuildKit-capable 20.10 client and everything else to the real CLI.
/// A machine whose CLI has buildx does not need it (the shim then changes nothing but the build client).</summary>
public static class DockerTestEnvironment
{
    public const string PostgresImage = "local/postgres:15";
    public const string SdkImage = "local/dotnet-sdk:10.0";
    public const string RuntimeImage = "local/dotnet-aspnet:10.0";

    private static readonly Lazy<string> s_shim = new(InstallShim);

    /// <summary>The AppHost settings of container mode in tests: local images, our tracking server's image standing in
    /// for MLflow's, and the host's CA bundle for restores inside image builds (the network here may inspect TLS).</summary>
    public static string[] Settings(string name) =>
    [
        "AppHost:Runtime=docker",
        $"AppHost:Name={name}",
        $"Images:postgres={PostgresImage}",
        $"Images:dotnet-sdk={SdkImage}",
        $"Images:dotnet-runtime={RuntimeImage}",
        "Mlflow:Server=tracking",
        "AppHost:BuildSecrets:ca-certificates=/etc/ssl/certs/ca-certificates.crt",
    ];

    /// <summary>Puts the BuildKit shim first on this process's PATH (Aspire's orchestrator inherits it).</summary>
    public static void UseBuildKitShim()
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        if (!path.StartsWith(s_shim.Value + ":", StringComparison.Ordinal))
        {
            Environment.SetEnvironmentVariable("PATH", $"{s_shim.Value}:{path}");
        }
    }

    /// <summary>Runs the docker CLI; returns its exit code and output.</summary>
    public static async Task<(int Code, string Output)> RunAsync(params string[] args)
    {
        var info = new ProcessStartInfo("docker") { RedirectStandardOutput = true, RedirectStandardError = true };
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

    public static async Task<bool> ExistsAsync(string kind, string idOrName) => (await RunAsync(kind, "inspect", idOrName)).Code == 0;

    public static async Task RemoveVolumesAsync(params string[] names)
    {
        foreach (var name in names)
        {
            await RunAsync("volume", "rm", "-f", name);
        }
    }

    /// <summary>The tags of the images the AppHost builds from Dockerfiles (named after their resources); none when
    /// there is no Docker CLI or engine.</summary>
    public static async Task<HashSet<string>> BuiltImageTagsAsync()
    {
        try
        {
            var (code, output) = await RunAsync("images", "--format", "{{.Repository}}:{{.Tag}}",
                "--filter", "reference=data", "--filter", "reference=trainer", "--filter", "reference=mlflow");
            return code == 0
                ? [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(t => !t.EndsWith(":<none>", StringComparison.Ordinal))]
                : [];
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or TimeoutException)
        {
            return [];
        }
    }

    /// <summary>Untags the images built since <paramref name="before"/> (no force: an image a container still uses
    /// stays). A stopped AppHost's orchestrator removes its containers a moment later, so this tries for a while.</summary>
    public static async Task RemoveImagesBuiltSinceAsync(HashSet<string> before)
    {
        for (var attempt = 0; attempt < 10; attempt++)
        {
            var left = (await BuiltImageTagsAsync()).Except(before).ToList();
            if (left.Count == 0)
            {
                return;
            }

            foreach (var tag in left)
            {
                await RunAsync("rmi", tag);
            }

            await Task.Delay(TimeSpan.FromSeconds(1));
        }
    }

    // The build output may lose the executable bit; a copy in a folder of its own gets it back.
    private static string InstallShim()
    {
        var folder = Directory.CreateTempSubdirectory("mlops-buildkit-shim-").FullName;
        var shim = Path.Combine(folder, "docker");
        File.Copy(Path.Combine(AppContext.BaseDirectory, "Fixtures", "buildkit-shim", "docker"), shim);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(shim, (UnixFileMode)0b111_101_101);
        }

        return folder;
    }
}
