using MlOps.Hosting;
using MlOps.Hosting.Publishing;
using MlOps.Tests.Infrastructure;

namespace MlOps.Tests.Hosting;

public sealed class ComposePublisherTests
{
    [Fact]
    public async Task Publish_ToFolder_WritesComposeFileAndEnvExampleMatchingGolden()
    {
        using var temp = new TempDirectory();
        var output = temp.File("out");

        await PublishingTopology.PublishAsync(temp, "compose", output).DefaultTimeout();

        await Golden.AssertMatchesAsync("docker-compose.yml",
            await File.ReadAllTextAsync(Path.Combine(output, "docker-compose.yml")).DefaultTimeout()).DefaultTimeout();
        await Golden.AssertMatchesAsync("env.example",
            await File.ReadAllTextAsync(Path.Combine(output, ".env.example")).DefaultTimeout()).DefaultTimeout();
    }

    [Theory]
    [InlineData("stack.yml")]
    [InlineData("stack.yaml")]
    public async Task Publish_ToYamlPath_WritesThatFileWithEnvExampleBeside(string fileName)
    {
        using var temp = new TempDirectory();
        var output = temp.File(Path.Combine("deploy", fileName));

        await PublishingTopology.PublishAsync(temp, "compose", output).DefaultTimeout();

        Assert.Equal([".env.example", fileName], Directory.GetFiles(temp.File("deploy")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Publish_NeverWritesSecretValues_OnlyVariables()
    {
        using var temp = new TempDirectory();
        var output = temp.File("out");
        var builder = PublishingTopology.CreateBuilder(temp, "compose", output, "--Parameters:api-key=s3cr3t-api-key");
        PublishingTopology.AddResources(builder, PublishingTopology.Layout(temp).Repo);
        // Make sure the generated password exists, as it would after a run.
        var password = builder.Secrets.GetOrCreate("postgres-password", 22);
        await using var app = builder.Build();

        await app.RunAsync().DefaultTimeout();

        var compose = await File.ReadAllTextAsync(Path.Combine(output, "docker-compose.yml")).DefaultTimeout();
        var env = await File.ReadAllTextAsync(Path.Combine(output, ".env.example")).DefaultTimeout();
        foreach (var secret in new[] { "s3cr3t-api-key", password })
        {
            Assert.DoesNotContain(secret, compose, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, env, StringComparison.Ordinal);
        }

        Assert.Contains("SERVING_ADMIN_KEY: \"${API_KEY}\"", compose, StringComparison.Ordinal);
        Assert.Contains("POSTGRES_PASSWORD: \"${POSTGRES_PASSWORD}\"", compose, StringComparison.Ordinal);
        Assert.Contains("\nAPI_KEY=\n", env, StringComparison.Ordinal);
        Assert.Contains("\nMODEL_NAME=fraud-detector\n", env, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Publish_OneDatabase_SetsPostgresDbAndLiteralDollarsAreEscaped()
    {
        using var temp = new TempDirectory();
        var output = temp.File("out/docker-compose.yml");
        var builder = PublishingTopology.CreateBuilder(temp, "compose", output);
        var db = builder.AddPostgres("pg", port: 5433).AddDatabase("orders");
        builder.AddContainer("api", "example/api", "1.0")
            .WithReference(db)
            .WithEnvironment("PRICE", "$5")
            .WithHttpEndpoint(targetPort: 80)
            .WaitFor(db);
        await using var app = builder.Build();

        await app.RunAsync().DefaultTimeout();

        var compose = await File.ReadAllTextAsync(output).DefaultTimeout();
        Assert.Contains("      POSTGRES_DB: \"orders\"\n", compose, StringComparison.Ordinal);
        Assert.Contains("      - \"127.0.0.1:5433:5432\"\n", compose, StringComparison.Ordinal);
        Assert.Contains("      ConnectionStrings__orders: \"Host=pg;Port=5432;Username=postgres;Password=${PG_PASSWORD};Database=orders\"\n", compose, StringComparison.Ordinal);
        Assert.Contains("      PRICE: \"$$5\"\n", compose, StringComparison.Ordinal);
        // A waited-for database is its server's service; an internal endpoint without a fixed port is not published.
        Assert.Contains("    depends_on:\n      pg:\n        condition: service_healthy\n", compose, StringComparison.Ordinal);
        Assert.DoesNotContain(":80\"", compose, StringComparison.Ordinal);
        Assert.DoesNotContain("\n  orders:", compose, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("plain", "\"plain\"")]
    [InlineData("say \"hi\"", "\"say \\\"hi\\\"\"")]
    [InlineData("C:\\dir", "\"C:\\\\dir\"")]
    [InlineData("two\nlines\t", "\"two\\nlines\\t\"")]
    [InlineData("yes", "\"yes\"")]
    public void YamlQuote_EscapesWhatDoubleQuotedScalarsNeed(string value, string expected) =>
        Assert.Equal(expected, YamlWriter.Quote(value));
}
