using System.Diagnostics;
using MlOps.Tests.Infrastructure;

namespace MlOps.Tests.AppHost;

/// <summary>The real AppHost's publishers: <c>--publisher manifest|compose --output-path PATH</c> write files and start nothing.</summary>
public sealed class AppHostPublishTests
{
    [Fact]
    public async Task ManifestPublisher_MatchesTheCommittedManifest()
    {
        // Written next to the committed file so that relative paths are the same; compared, then removed.
        var committed = Path.Combine(AppHostProcess.RepositoryRoot, "aspire-manifest.json");
        var fresh = Path.Combine(AppHostProcess.RepositoryRoot, $".aspire-manifest.{Guid.NewGuid():N}.json");
        using var data = new TempDirectory();
        try
        {
            var (code, output) = await RunAppHostAsync("--publisher", "manifest", "--output-path", fresh, $"--AppHost:DataDirectory={data.File("state")}");
            Assert.True(code == 0, output);
            var expected = await File.ReadAllTextAsync(committed).DefaultTimeout();
            var actual = await File.ReadAllTextAsync(fresh).DefaultTimeout();
            Assert.True(expected == actual,
                $"aspire-manifest.json is stale; regenerate it with: dotnet run --project MlOps.AppHost -- --publisher manifest --output-path aspire-manifest.json\n{actual}");
            Assert.False(Directory.Exists(data.File("state")), "publishing must not create the AppHost's state folder");
        }
        finally
        {
            File.Delete(fresh);
        }
    }

    [Fact]
    public async Task ComposePublisher_WritesHealthGatedServicesAndNoSecretValues()
    {
        using var output = new TempDirectory();
        var (code, log) = await RunAppHostAsync("--publisher", "compose", "--output-path", output.Path, $"--AppHost:DataDirectory={output.File("state")}");
        Assert.True(code == 0, log);

        var compose = await File.ReadAllTextAsync(output.File("docker-compose.yml")).DefaultTimeout();
        Assert.Contains("condition: service_healthy", compose, StringComparison.Ordinal);
        Assert.Contains("condition: service_completed_successfully", compose, StringComparison.Ordinal);
        Assert.Contains("driver: nvidia", compose, StringComparison.Ordinal);
        Assert.Contains("${POSTGRES_PASSWORD}", compose, StringComparison.Ordinal);
        Assert.True(File.Exists(output.File(".env.example")));
    }

    [Fact]
    public async Task ManifestPublisher_WritesDockerfileResources_WithContextDockerfileAndBuildArgs()
    {
        using var output = new TempDirectory();
        var (code, log) = await RunAppHostAsync([.. s_localImageSettings, "--publisher", "manifest", "--output-path", output.File("m.json"),
            $"--AppHost:DataDirectory={output.File("state")}"]);
        Assert.True(code == 0, log);

        using var manifest = System.Text.Json.JsonDocument.Parse(await File.ReadAllTextAsync(output.File("m.json")).DefaultTimeout());
        var resources = manifest.RootElement.GetProperty("resources");
        foreach (var (name, dockerfile) in new[] { ("trainer", "MlOps.Trainer/Dockerfile"), ("mlflow", "MlOps.Tracking/Dockerfile") })
        {
            var resource = resources.GetProperty(name);
            Assert.Equal("container.v1", resource.GetProperty("type").GetString());
            var build = resource.GetProperty("build");
            var context = Path.GetFullPath(build.GetProperty("context").GetString()!, output.Path);
            Assert.Equal(AppHostProcess.RepositoryRoot, context.TrimEnd('/'));
            Assert.Equal(Path.Combine(AppHostProcess.RepositoryRoot, dockerfile), Path.GetFullPath(build.GetProperty("dockerfile").GetString()!, output.Path));
            Assert.Equal("local/dotnet-sdk:10.0", build.GetProperty("args").GetProperty("SDK_IMAGE").GetString());
            Assert.Equal("local/dotnet-aspnet:10.0", build.GetProperty("args").GetProperty("RUNTIME_IMAGE").GetString());
        }
    }

    [Fact]
    public async Task ComposePublisher_WritesDockerfileResourcesWithBuildArgs_AndDockerComposeAcceptsTheFile()
    {
        using var output = new TempDirectory();
        var (code, log) = await RunAppHostAsync([.. s_localImageSettings, "--publisher", "compose", "--output-path", output.Path,
            $"--AppHost:DataDirectory={output.File("state")}"]);
        Assert.True(code == 0, log);
        var compose = await File.ReadAllTextAsync(output.File("docker-compose.yml")).DefaultTimeout();
        Assert.Contains("dockerfile: \"MlOps.Trainer/Dockerfile\"", compose, StringComparison.Ordinal);
        Assert.Contains("dockerfile: \"MlOps.Tracking/Dockerfile\"", compose, StringComparison.Ordinal);
        Assert.Contains("SDK_IMAGE: \"local/dotnet-sdk:10.0\"", compose, StringComparison.Ordinal);

        // Debian's docker-compose (1.29; test.sh installs it) validates the file: schema, interpolation, depends_on.
        File.Copy(output.File(".env.example"), output.File(".env"));
        var info = new ProcessStartInfo("docker-compose", ["-f", output.File("docker-compose.yml"), "config", "--quiet"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = output.Path,
        };
        using var process = Process.Start(info)!;
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().DefaultTimeout(TimeSpan.FromSeconds(60));
        Assert.True(process.ExitCode == 0, $"docker-compose config rejected the file: {await errors.DefaultTimeout()}\n{compose}");
    }

    [Fact]
    public async Task UnknownPublisher_FailsWithOneLineAndExitCode1()
    {
        using var data = new TempDirectory();
        var (code, output) = await RunAppHostAsync("--publisher", "helm", "--output-path", data.Path, $"--AppHost:DataDirectory={data.File("state")}");

        Assert.Equal(1, code);
        Assert.Equal("error: Unknown publisher 'helm'; use 'manifest' or 'compose'.", output.Trim());
    }

    // The container-mode settings of the tests: local base images and the tracking server as MLflow.
    private static readonly string[] s_localImageSettings =
        ["--Images:dotnet-sdk=local/dotnet-sdk:10.0", "--Images:dotnet-runtime=local/dotnet-aspnet:10.0", "--Mlflow:Server=tracking"];

    private static async Task<(int Code, string Output)> RunAppHostAsync(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(AppHostProcess.AppHostAssembly());
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().DefaultTimeout(TimeSpan.FromSeconds(60));
        return (process.ExitCode, await stdout.DefaultTimeout() + await stderr.DefaultTimeout());
    }
}
