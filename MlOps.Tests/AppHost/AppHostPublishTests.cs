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
    public async Task UnknownPublisher_FailsWithOneLineAndExitCode1()
    {
        using var data = new TempDirectory();
        var (code, output) = await RunAppHostAsync("--publisher", "helm", "--output-path", data.Path, $"--AppHost:DataDirectory={data.File("state")}");

        Assert.Equal(1, code);
        Assert.Equal("error: Unknown publisher 'helm'; use 'manifest' or 'compose'.", output.Trim());
    }

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
