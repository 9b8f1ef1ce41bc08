using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using MlOps.Hosting;
using MlOps.Hosting.ApplicationModel;
using MlOps.Hosting.Publishing;
using MlOps.Tests.Infrastructure;
using NJsonSchema;

namespace MlOps.Tests.Hosting;

public sealed class ManifestPublisherTests
{
    private static readonly string s_schemaPath = Path.Combine(AppContext.BaseDirectory, "Fixtures", "hosting", "aspire-8.0.schema.json");

    [Fact]
    public async Task Publish_ToFolder_WritesAspireManifestMatchingGolden()
    {
        using var temp = new TempDirectory();
        var output = temp.File("out");

        await PublishingTopology.PublishAsync(temp, "manifest", output).DefaultTimeout();

        var text = await File.ReadAllTextAsync(Path.Combine(output, "aspire-manifest.json")).DefaultTimeout();
        await Golden.AssertMatchesAsync("aspire-manifest.json", text).DefaultTimeout();
    }

    [Fact]
    public async Task Publish_ToJsonPath_WritesThatFileOnlyAndLeavesNoTempFile()
    {
        using var temp = new TempDirectory();
        var output = temp.File("deploy/my-manifest.json");

        await PublishingTopology.PublishAsync(temp, "manifest", output).DefaultTimeout();

        Assert.Equal(["my-manifest.json"], Directory.GetFiles(temp.File("deploy")).Select(Path.GetFileName));
        var text = await File.ReadAllTextAsync(output).DefaultTimeout();
        Assert.StartsWith("{\n  \"$schema\": \"https://json.schemastore.org/aspire-8.0.json\",\n  \"resources\": {\n", text, StringComparison.Ordinal);
        Assert.EndsWith("}\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Publish_Manifest_ValidatesAgainstAspire8Schema()
    {
        using var temp = new TempDirectory();
        var output = temp.File("out/aspire-manifest.json");
        await PublishingTopology.PublishAsync(temp, "manifest", output).DefaultTimeout();
        var schema = await JsonSchema.FromFileAsync(s_schemaPath).DefaultTimeout();

        var errors = schema.Validate(await File.ReadAllTextAsync(output).DefaultTimeout());

        Assert.Empty(errors.Select(e => $"{e.Path}: {e.Kind}"));
    }

    [Theory]
    [InlineData("unknown field on a container", "mlflow", "replicas", "2")]
    [InlineData("wrong type of a binding port", "mlflow", "bindings", """{"http":{"scheme":"http","protocol":"tcp","transport":"http","targetPort":"5000"}}""")]
    [InlineData("args that are not a list", "mlflow", "args", "\"server\"")]
    [InlineData("unknown scheme", "serving", "bindings", """{"http":{"scheme":"ftp","protocol":"tcp","transport":"http"}}""")]
    public async Task Schema_RejectsBrokenManifest(string why, string resource, string property, string json)
    {
        using var temp = new TempDirectory();
        var output = temp.File("out/aspire-manifest.json");
        await PublishingTopology.PublishAsync(temp, "manifest", output).DefaultTimeout();
        var manifest = JsonNode.Parse(await File.ReadAllTextAsync(output).DefaultTimeout())!;
        manifest["resources"]![resource]![property] = JsonNode.Parse(json);
        var schema = await JsonSchema.FromFileAsync(s_schemaPath).DefaultTimeout();

        var errors = schema.Validate(manifest.ToJsonString());

        Assert.True(errors.Count > 0, $"a manifest with {why} passed validation");
    }

    [Fact]
    public async Task Schema_RejectsContainerWithoutImage()
    {
        var schema = await JsonSchema.FromFileAsync(s_schemaPath).DefaultTimeout();

        var errors = schema.Validate("""{"resources":{"api":{"type":"container.v0","env":{"A":"b"}}}}""");

        Assert.NotEmpty(errors);
    }

    [Fact]
    public async Task Publish_LeavesOutRunTimeOnlyAnnotationsAndTheLocalStandIn()
    {
        using var temp = new TempDirectory();
        var output = temp.File("out/m.json");

        await PublishingTopology.PublishAsync(temp, "manifest", output).DefaultTimeout();

        var text = await File.ReadAllTextAsync(output).DefaultTimeout();
        Assert.DoesNotContain("gpus", text, StringComparison.Ordinal);
        Assert.DoesNotContain("MlOps.Tracking", text, StringComparison.Ordinal);
        Assert.DoesNotContain("health", text, StringComparison.OrdinalIgnoreCase);
        var resources = JsonNode.Parse(text)!["resources"]!.AsObject();
        Assert.Equal(
            ["api-key", "model-name", "postgres-password", "postgres", "trackingdb", "features-db", "mlflow", "trainer", "serving"],
            resources.Select(r => r.Key));
        Assert.All(resources, r => Assert.DoesNotContain(r.Value!.AsObject(), p => p.Key is "waitFor" or "profiles" or "explicitStart"));
    }

    [Fact]
    public async Task Publish_EvaluatesCallbacksInPublishModeWithThePublisherName()
    {
        using var temp = new TempDirectory();
        var output = temp.File("out/m.json");
        var builder = PublishingTopology.CreateBuilder(temp, "manifest", output);
        var seen = new List<DistributedApplicationExecutionContext>();
        builder.AddContainer("probe", "busybox", "1.37")
            .WithEnvironment(ctx =>
            {
                seen.Add(ctx.ExecutionContext);
                ctx.EnvironmentVariables["MODE"] = ctx.ExecutionContext.IsPublishMode ? "publish" : "run";
            })
            .WithArgs(ctx =>
            {
                seen.Add(ctx.ExecutionContext);
                ctx.Args.Add(ctx.ExecutionContext.PublisherName ?? "none");
            });
        await using var app = builder.Build();

        await app.RunAsync().DefaultTimeout();

        Assert.Equal(2, seen.Count);
        Assert.All(seen, c => Assert.Equal(new DistributedApplicationExecutionContext(DistributedApplicationOperation.Publish, "manifest"), c));
        var probe = JsonNode.Parse(await File.ReadAllTextAsync(output).DefaultTimeout())!["resources"]!["probe"]!;
        Assert.Equal("publish", (string?)probe["env"]!["MODE"]);
        Assert.Equal("manifest", (string?)probe["args"]![0]);
    }

    [Fact]
    public async Task Build_InPublishMode_RegistersBothPublishersByName()
    {
        using var temp = new TempDirectory();
        await using var app = PublishingTopology.CreateBuilder(temp, "manifest", temp.File("out")).Build();

        Assert.IsType<ManifestPublisher>(app.Services.GetRequiredKeyedService<IDistributedApplicationPublisher>("manifest"));
        Assert.IsType<ComposePublisher>(app.Services.GetRequiredKeyedService<IDistributedApplicationPublisher>("compose"));
    }

    [Fact]
    public async Task Run_WithUnknownPublisher_FailsWithOneClearLine()
    {
        using var temp = new TempDirectory();
        await using var app = PublishingTopology.CreateBuilder(temp, "helm", temp.File("out")).Build();

        var error = await Assert.ThrowsAsync<DistributedApplicationException>(() => app.RunAsync()).DefaultTimeout();

        Assert.Equal("Unknown publisher 'helm'; use 'manifest' or 'compose'.", error.Message);
    }

    [Fact]
    public async Task Publish_ExecutableAndFixedTcpPorts_FollowAspireBindingRules()
    {
        using var temp = new TempDirectory();
        var output = temp.File("out/m.json");
        var builder = PublishingTopology.CreateBuilder(temp, "manifest", output);
        builder.AddContainer("cache", "redis", "7.4").WithEndpoint("tcp", "tcp", port: 6379);
        builder.AddContainer("same", "nginx", "1.27").WithHttpEndpoint(port: 80, targetPort: 80);
        builder.AddExecutable("tool", "python3", "scripts", "run.py").WithEndpoint("tcp", "tcp");
        await using var app = builder.Build();

        await app.RunAsync().DefaultTimeout();

        var resources = JsonNode.Parse(await File.ReadAllTextAsync(output).DefaultTimeout())!["resources"]!;
        // A container's fixed port is also its target port; equal ports are written once, as targetPort.
        Assert.Equal("""{"scheme":"tcp","protocol":"tcp","transport":"tcp","targetPort":6379}""", resources["cache"]!["bindings"]!["tcp"]!.ToJsonString());
        Assert.Equal("""{"scheme":"http","protocol":"tcp","transport":"http","targetPort":80}""", resources["same"]!["bindings"]!["http"]!.ToJsonString());
        // Neither port nor target: Aspire allocates one from 8000 up.
        Assert.Equal(8000, (int)resources["tool"]!["bindings"]!["tcp"]!["targetPort"]!);
        Assert.Equal("executable.v0", (string?)resources["tool"]!["type"]);
        Assert.Equal("../apphost/scripts", (string?)resources["tool"]!["workingDirectory"]);
        Assert.Equal("run.py", (string?)resources["tool"]!["args"]![0]);
    }
}
