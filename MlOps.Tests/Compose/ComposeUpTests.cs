using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MlOps.Tests.Infrastructure;
using TempDirectory = MlOps.Tests.Infrastructure.TempDirectory;

namespace MlOps.Tests.Compose;

/// <summary>End to end on the real Docker engine: the REAL AppHost publishes its compose files (local images, our
/// tracking server for MLflow, free ports, its own volume names), docker-compose 1.29 builds and starts them under a
/// project name of the test's own, the data job completes, the trainer runs in the <c>train</c> profile, and serving
/// answers <c>/health</c> 200 and predicts with the model the trainer promoted. Everything the project made (containers,
/// network, volumes, built images) is removed at the end by its project name.</summary>
public sealed class ComposeUpTests
{
    private static readonly TimeSpan s_build = TimeSpan.FromMinutes(25);
    private static readonly TimeSpan s_step = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task AppHostCompose_UpWithLocalImages_DataThenTrainerThenServingAnswersWithThePromotedModel()
    {
        using var temp = new TempDirectory();
        var id = Guid.NewGuid().ToString("N")[..8];
        var ports = new ComposeTopology.Ports(FreePorts.Next(), FreePorts.Next());
        var files = await AppHostCompose.PublishAsync(temp.File("compose"), AppHostCompose.LocalImages(id, ports));
        await files.WriteEnvAsync(new Dictionary<string, string>
        {
            ["POSTGRES_PASSWORD"] = $"pg-{Guid.NewGuid():N}",
            ["SERVING_ADMIN_KEY"] = $"key-{Guid.NewGuid():N}",
        });
        var compose = new DockerCompose(files.Directory, $"mlops-compose-{id}");
        try
        {
            await compose.RunCheckedAsync(s_build, "up", "-d");
            await AssertExitedZeroAsync(compose, "data");
            await compose.RunCheckedAsync(s_build, "--profile", "train", "up", "-d", "trainer");
            await AssertExitedZeroAsync(compose, "trainer");

            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{ports.Serving}"), Timeout = TimeSpan.FromSeconds(10) };
            await WaitForHealthyAsync(compose, http);
            using var response = await http.PostAsJsonAsync("/predict", SampleTransactions.Suspicious()).DefaultTimeout();
            var body = await response.Content.ReadAsStringAsync().DefaultTimeout();
            Assert.True(response.StatusCode == HttpStatusCode.OK, body);
            using var prediction = JsonDocument.Parse(body);
            Assert.InRange(prediction.RootElement.GetProperty("probability").GetDouble(), 0, 1);
        }
        finally
        {
            await compose.RunAsync(s_step, "--profile", "train", "down", "--volumes", "--rmi", "local", "--remove-orphans");
        }

        var (_, left) = await compose.RunAsync(s_step, "--profile", "train", "ps", "-q");
        Assert.Equal(string.Empty, left.Trim());
    }

    // docker wait returns the exit code; anything else fails now, with the service's log.
    private static async Task AssertExitedZeroAsync(DockerCompose compose, string service)
    {
        var container = (await compose.RunCheckedAsync(s_step, "--profile", "train", "ps", "-q", service)).Trim();
        Assert.False(string.IsNullOrEmpty(container), $"{service} has no container.");
        var code = await DockerAsync(s_step, "wait", container);
        if (code.Trim() != "0")
        {
            var (_, logs) = await compose.RunAsync(s_step, "--profile", "train", "logs", "--tail", "60", service);
            Assert.Fail($"{service} exited {code.Trim()}:\n{logs}");
        }
    }

    // Serving answers 503 until the model is loaded (it follows the production alias); a serving container that stops
    // fails the wait at once, with its log.
    private static async Task WaitForHealthyAsync(DockerCompose compose, HttpClient http)
    {
        var deadline = DateTime.UtcNow + s_step;
        var last = "no answer";
        while (DateTime.UtcNow < deadline)
        {
            var container = (await compose.RunCheckedAsync(s_step, "ps", "-q", "serving")).Trim();
            if ((await DockerAsync(s_step, "inspect", "-f", "{{.State.Running}}", container)).Trim() != "true")
            {
                var (_, logs) = await compose.RunAsync(s_step, "logs", "--tail", "60", "serving");
                Assert.Fail($"serving stopped:\n{logs}");
            }

            try
            {
                using var response = await http.GetAsync(new Uri("/health", UriKind.Relative)).DefaultTimeout();
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }

                last = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync().DefaultTimeout()}";
            }
            catch (HttpRequestException e)
            {
                last = e.Message;
            }

            await Task.Delay(TimeSpan.FromSeconds(2)).DefaultTimeout();
        }

        var (_, tail) = await compose.RunAsync(s_step, "logs", "--tail", "60", "serving");
        Assert.Fail($"serving never answered /health 200 (last: {last}):\n{tail}");
    }

    private static async Task<string> DockerAsync(TimeSpan timeout, params string[] args)
    {
        var info = new ProcessStartInfo("/usr/bin/docker") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().DefaultTimeout(timeout);
        return await stdout.DefaultTimeout() + await stderr.DefaultTimeout();
    }
}
