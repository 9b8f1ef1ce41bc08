using System.Text.Json;
using MlOps.Tests.Infrastructure;
using NJsonSchema;

namespace MlOps.Tests.AppHost;

/// <summary>Aspire's own manifest publisher on the real AppHost, and the AppHost's answers to bad input.</summary>
[Collection(AppHostCollection.Name)]
public sealed class PublishTests
{
    [Fact]
    public async Task ManifestPublisher_WritesTheCommittedManifest_ContainersAndASecretPassword_ValidAgainstTheSchema()
    {
        // Written at the repository root, as the README's command does, so relative paths come out the same.
        var output = Path.Combine(TestRepository.Root, $"aspire-manifest.test-{Guid.NewGuid():N}.json");
        try
        {
            var (exitCode, console) = await AppHostCli.RunAsync("--publisher", "manifest", "--output-path", output);
            Assert.True(exitCode == 0, console);
            var written = await File.ReadAllTextAsync(output).DefaultTimeout();
            var committed = await File.ReadAllTextAsync(Path.Combine(TestRepository.Root, "aspire-manifest.json")).DefaultTimeout();
            Assert.True(committed.ReplaceLineEndings() == written.ReplaceLineEndings(),
                "aspire-manifest.json is stale: run `dotnet run --project MlOps.AppHost -- --publisher manifest --output-path ../aspire-manifest.json`");

            var schema = await JsonSchema.FromFileAsync(Path.Combine(AppContext.BaseDirectory, "Fixtures", "hosting", "aspire-8.0.schema.json")).DefaultTimeout();
            Assert.Empty(schema.Validate(written));

            using var manifest = JsonDocument.Parse(written);
            var resources = manifest.RootElement.GetProperty("resources");
            // Publishing is container mode: nothing runs from this machine's paths.
            Assert.Equal("container.v0", resources.GetProperty("postgres").GetProperty("type").GetString());
            Assert.Equal("container.v1", resources.GetProperty("mlflow").GetProperty("type").GetString());
            Assert.Equal("container.v1", resources.GetProperty("trainer").GetProperty("type").GetString());
            Assert.Equal("project.v0", resources.GetProperty("serving").GetProperty("type").GetString());
            Assert.DoesNotContain(resources.EnumerateObject(), r => r.Value.GetProperty("type").GetString() == "executable.v0");
            Assert.DoesNotContain("/usr/lib/postgresql", written, StringComparison.Ordinal);
            var password = resources.GetProperty("postgres-password").GetProperty("inputs").GetProperty("value");
            Assert.True(password.GetProperty("secret").GetBoolean());
            Assert.Equal("{postgres-password.value}", resources.GetProperty("postgres").GetProperty("env").GetProperty("POSTGRES_PASSWORD").GetString());
        }
        finally
        {
            File.Delete(output);
        }
    }

    [Fact]
    public async Task Schema_RejectsAResourceItDoesNotKnow()
    {
        var schema = await JsonSchema.FromFileAsync(Path.Combine(AppContext.BaseDirectory, "Fixtures", "hosting", "aspire-8.0.schema.json")).DefaultTimeout();
        Assert.NotEmpty(schema.Validate("""{ "resources": { "x": { "type": "container.v0" } } }"""));
        Assert.NotEmpty(schema.Validate("""{ "resources": { "x": { "type": "project.v0", "path": "a.csproj", "extra": 1 } } }"""));
    }

    [Fact]
    public async Task UnknownRuntime_IsOneLineAndExitCode1()
    {
        var (exitCode, console) = await AppHostCli.RunAsync("--runtime", "kubernetes");
        Assert.Equal(1, exitCode);
        var lines = console.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("error: --runtime must be auto, docker or local (got 'kubernetes').", Assert.Single(lines).Trim());
    }

    [Fact]
    public async Task ComposeToAnUnwritableFolder_IsOneErrorAndExitCode1_WithoutAStackTrace()
    {
        using var temp = new TempDirectory();
        var blocker = temp.File("not-a-folder");
        await File.WriteAllTextAsync(blocker, "a file where the output folder would be").DefaultTimeout();

        var (exitCode, console) = await AppHostCli.RunAsync("--publisher", "compose", "--output-path", Path.Combine(blocker, "compose"));

        Assert.Equal(1, exitCode);
        Assert.Contains($"Cannot write the compose files to {Path.Combine(blocker, "compose")}", console, StringComparison.Ordinal);
        Assert.DoesNotContain(console.Split('\n'), line => line.TrimStart().StartsWith("at ", StringComparison.Ordinal));
        Assert.Equal("a file where the output folder would be", await File.ReadAllTextAsync(blocker).DefaultTimeout());
    }

    [Fact]
    public async Task TakenPort_IsOneLineNamingTheSetting()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        var (exitCode, console) = await AppHostCli.RunAsync("--runtime", "local", $"--Ports:serving={port}", $"--Ports:mlflow={FreePorts.Next()}");
        Assert.Equal(1, exitCode);
        var line = Assert.Single(console.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains($"port {port} is in use (setting Ports:serving)", line, StringComparison.Ordinal);
    }
}
