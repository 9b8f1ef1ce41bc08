using System.Text.RegularExpressions;
using MlOps.Hosting;
using MlOps.Hosting.ApplicationModel;
using MlOps.Hosting.Orchestration;
using MlOps.Tests.Infrastructure;

namespace MlOps.Tests.Hosting.Orchestration;

public sealed class EnvironmentTests
{
    [Fact]
    public async Task Environment_HostVariablesThenOwn_SecretsReachTheProcessButAreMasked()
    {
        using var temp = new TempDirectory();
        await using var test = new OrchestrationTestApp(temp.Path, "--Parameters:api-key=s3cr3t-value", "--AppHost:OtlpApiKey=otlp-key-1");
        var key = test.Builder.AddParameter("api-key", secret: true);
        test.AddBash("svc", "env > env.txt; echo done")
            .WithHttpEndpoint(env: "PORT")
            .WithEnvironment("API_KEY", key)
            .WithEnvironment("KEY_IN_EXPRESSION", ReferenceExpression.Create($"key={key.Resource};x=1"))
            .WithEnvironment("PLAIN", "hello")
            .WithEnvironment("OTEL_SERVICE_NAME", "renamed");

        await test.StartAsync();
        var finished = await test.WaitForStateAsync("svc", ResourceState.Finished);

        var shown = finished.Environment.ToDictionary(v => v.Name);
        Assert.Equal("http://localhost:18889", shown["OTEL_EXPORTER_OTLP_ENDPOINT"].Value);
        Assert.Equal("grpc", shown["OTEL_EXPORTER_OTLP_PROTOCOL"].Value);
        Assert.Equal("renamed", shown["OTEL_SERVICE_NAME"].Value);
        Assert.Matches(new Regex("^service\\.instance\\.id=svc-[0-9a-f]{8}$"), shown["OTEL_RESOURCE_ATTRIBUTES"].Value);
        Assert.Equal("1000", shown["OTEL_BSP_SCHEDULE_DELAY"].Value);
        Assert.Equal("hello", shown["PLAIN"].Value);
        Assert.Equal(new Uri(Assert.Single(finished.Urls).Url).Port.ToString(System.Globalization.CultureInfo.InvariantCulture), shown["PORT"].Value);
        foreach (var secret in new[] { "API_KEY", "KEY_IN_EXPRESSION", "OTEL_EXPORTER_OTLP_HEADERS" })
        {
            Assert.True(shown[secret].IsSecret, secret);
            Assert.Equal("********", shown[secret].Value);
        }

        var actual = await File.ReadAllLinesAsync(temp.File("env.txt")).DefaultTimeout();
        Assert.Contains("API_KEY=s3cr3t-value", actual);
        Assert.Contains("KEY_IN_EXPRESSION=key=s3cr3t-value;x=1", actual);
        Assert.Contains("OTEL_EXPORTER_OTLP_HEADERS=x-otlp-api-key=otlp-key-1", actual);
        Assert.Contains("OTEL_SERVICE_NAME=renamed", actual);
        Assert.DoesNotContain(test.Logs.GetLines("svc"), l => l.Text.Contains("s3cr3t", StringComparison.Ordinal));
        var parameter = test.Notifications.Get("api-key")!;
        Assert.Equal(ResourceState.Running, parameter.State);
        Assert.Empty(parameter.Environment);
    }

    [Fact]
    public async Task SecretArgument_IsMaskedOnTheConsole()
    {
        using var temp = new TempDirectory();
        await using var test = new OrchestrationTestApp(temp.Path, "--Parameters:token=tok-123");
        var token = test.Builder.AddParameter("token", secret: true);
        test.AddBash("svc", "echo got:${#0}").WithArgs(token.Resource);

        await test.StartAsync();
        await test.WaitForStateAsync("svc", ResourceState.Finished);

        var lines = test.Logs.GetLines("svc");
        Assert.Contains(lines, l => l.Text == "got:7");
        Assert.Contains(lines, l => l.Text.StartsWith("Starting: ", StringComparison.Ordinal) && l.Text.EndsWith("********", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Text.Contains("tok-123", StringComparison.Ordinal));
    }
}
