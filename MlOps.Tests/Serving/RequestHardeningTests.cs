using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MlOps.Tests.Infrastructure;

namespace MlOps.Tests.Serving;

/// <summary>What attacking the request path found: media types, huge repetitive bodies, clients that vanish, and
/// a server started from another folder than its own.</summary>
[Collection(ServingModelsCollection.Name)]
public sealed class RequestHardeningTests(ServingModelsFixture models)
{
    [Theory]
    [InlineData("/predict", null)]
    [InlineData("/predict", "text/plain")]
    [InlineData("/predict/batch", "application/x-www-form-urlencoded")]
    [InlineData("/invocations", null)]
    [InlineData("/v2/models/{name}/infer", null)]
    public async Task Body_WithoutAJsonContentType_Is415(string path, string? contentType)
    {
        using var temp = new TempDirectory();
        await using var app = new ServingApp(ServingModelsFixture.CopyModel(models.ModelA, temp));
        using var client = app.CreateClient();
        await ServingApp.WaitHealthyAsync(client);
        var body = path == "/predict" ? System.Text.Json.JsonSerializer.Serialize(ServingTestData.Create(models.CardA, 1, 3).Single(0)) : "{}";
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        if (contentType is not null)
        {
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
        }

        using var response = await client.PostAsync(new Uri(path.Replace("{name}", models.CardA.ModelName, StringComparison.Ordinal), UriKind.Relative), content).DefaultTimeout();

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        // A wrong type is refused by routing (the endpoints declare what they accept); no type at all by serving, which says so.
        if (contentType is null)
        {
            var refusal = await ServingTestData.ReadJsonAsync(response).DefaultTimeout();
            var message = refusal.TryGetProperty("detail", out var detail) ? detail.GetString() : refusal.GetProperty("error").GetString();
            Assert.Contains("no Content-Type", message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Body_OfOneKeyRepeatedMillionsOfTimes_GetsASmallAnswer()
    {
        using var temp = new TempDirectory();
        await using var app = new ServingApp(ServingModelsFixture.CopyModel(models.ModelA, temp));
        using var client = app.CreateClient();
        await ServingApp.WaitHealthyAsync(client);
        var data = ServingTestData.Create(models.CardA, 1, 4);
        var key = $"\"{data.NumericFeature}\":1,";
        var body = new StringBuilder(16 * 1024 * 1024).Append('{');
        while (body.Length + key.Length < (16 * 1024 * 1024) - 16)
        {
            body.Append(key);
        }

        body.Append($"\"{data.NumericFeature}\":1}}");

        using var response = await client.PostAsync(new Uri("/predict", UriKind.Relative), ServingTestData.Raw(body.ToString())).DefaultTimeout();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var answer = await response.Content.ReadAsStringAsync().DefaultTimeout();
        Assert.True(answer.Length < 16 * 1024, $"a 16 MiB body of one key got a {answer.Length}-byte answer");
        var errors = (await ServingTestData.ReadJsonAsync(response).DefaultTimeout()).GetProperty("errors");
        var messages = errors.GetProperty(data.NumericFeature).EnumerateArray().Select(m => m.GetString()!).ToArray();
        Assert.Contains("Appears more than once.", messages);
        Assert.Contains(messages, m => m.Contains("more errors for this field", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Client_ThatDisconnectsMidBody_IsNotAServerError()
    {
        using var temp = new TempDirectory();
        var logs = new CapturedLogs();
        await using var app = new ServingApp(ServingModelsFixture.CopyModel(models.ModelA, temp),
            configureServices: services => services.AddSingleton<ILoggerProvider>(logs));
        var port = FreePorts.Next();
        app.UseKestrel(port);
        app.StartServer();
        using (var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") })
        {
            await ServingApp.WaitHealthyAsync(client);
        }

        // A raw client: headers promise 4,000 bytes, 100 arrive, then the connection is gone.
        for (var i = 0; i < 5; i++)
        {
            using var socket = new TcpClient();
            await socket.ConnectAsync(IPAddress.Loopback, port).DefaultTimeout();
            var stream = socket.GetStream();
            var head = $"POST /predict HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 4000\r\n\r\n{{\"{models.CardA.Features[0].Name}\": ";
            await stream.WriteAsync(Encoding.ASCII.GetBytes(head + new string(' ', 60))).DefaultTimeout();
            await stream.FlushAsync().DefaultTimeout();
            socket.Client.LingerState = new LingerOption(true, 0);
        }

        using var after = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        using var ok = await ServingTestData.PostAsync(after, "/predict", ServingTestData.Create(models.CardA, 1, 5).Single(0)).DefaultTimeout();
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        await Task.Delay(500);
        Assert.Empty(logs.At(LogLevel.Error));
    }

    [Fact]
    public async Task Started_FromAnotherFolder_ReadsItsOwnSettings_AndARelativeModelPathFromThere()
    {
        using var temp = new TempDirectory();
        ServingModelsFixture.CopyModel(models.ModelA, temp, "model");
        var serving = ServingAssembly();
        var port = FreePorts.Next();
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = temp.Path, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(serving);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://127.0.0.1:{port}");
        start.Environment["MODEL_URI"] = "model";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        foreach (var variable in new[] { "OTEL_EXPORTER_OTLP_ENDPOINT", "MLFLOW_TRACKING_URI", "ConnectionStrings__servingdb", "Logging__LogLevel__Default" })
        {
            start.Environment.Remove(variable);
        }

        using var process = Process.Start(start)!;
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            await WaitListeningAsync(client, process, output);
            var health = await ServingApp.WaitHealthyAsync(client);
            Assert.StartsWith(health.GetProperty("model").GetProperty("version").GetString()!, models.CardA.ModelUuid, StringComparison.Ordinal);
            for (var i = 0; i < 5; i++)
            {
                using var response = await ServingTestData.PostAsync(client, "/predict", ServingTestData.Create(models.CardA, 1, i).Single(0)).DefaultTimeout();
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }

            await Task.Delay(300);
            string log;
            lock (output)
            {
                log = output.ToString();
            }

            // appsettings.json turns Microsoft.AspNetCore down to warnings: no line per request.
            Assert.DoesNotContain("Request starting", log, StringComparison.Ordinal);
            Assert.Contains("loaded and warmed", log, StringComparison.Ordinal);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync().DefaultTimeout();
        }
    }

    private static async Task WaitListeningAsync(HttpClient client, Process process, StringBuilder output)
    {
        using var timeout = new CancellationTokenSource(TaskTimeoutExtensions.DefaultTimeoutDuration);
        while (true)
        {
            if (process.HasExited)
            {
                lock (output)
                {
                    throw new InvalidOperationException($"serving exited with {process.ExitCode}:\n{output}");
                }
            }

            try
            {
                using var alive = await client.GetAsync(new Uri("/alive", UriKind.Relative), timeout.Token);
                return;
            }
            catch (HttpRequestException)
            {
                await Task.Delay(100, timeout.Token);
            }
        }
    }

    private static string ServingAssembly()
    {
        var configuration = typeof(RequestHardeningTests).Assembly
            .GetCustomAttributes(typeof(System.Reflection.AssemblyConfigurationAttribute), false)
            .OfType<System.Reflection.AssemblyConfigurationAttribute>().FirstOrDefault()?.Configuration ?? "Release";
        var path = Path.Combine(TestRepository.Root, "MlOps.Serving", "bin", configuration, "net10.0", "MlOps.Serving.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException($"Build MlOps.Serving first: {path} is missing.");
    }
}
