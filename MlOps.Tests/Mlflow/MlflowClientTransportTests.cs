using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MlOps.Mlflow;
using MlOps.Tests.Infrastructure;

namespace MlOps.Tests.Mlflow;

/// <summary>Failures below the MLflow API: a server that never answers, one that went away, credentials in the URI.</summary>
public sealed class MlflowClientTransportTests
{
    private const string Secret = "s3cr3t-pa55";

    [Fact]
    public async Task ResilienceTimeout_AfterRetries_BecomesTheOneMlflowError()
    {
        // A listener that accepts connections and never answers: every attempt runs into the resilience timeout.
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;
        var services = Services($"http://127.0.0.1:{port}/");
        services.AddMlflowClient().AddStandardResilienceHandler(options =>
        {
            options.AttemptTimeout.Timeout = TimeSpan.FromMilliseconds(300);
            options.TotalRequestTimeout.Timeout = TimeSpan.FromSeconds(2);
            options.CircuitBreaker.SamplingDuration = TimeSpan.FromSeconds(1);
            options.Retry.MaxRetryAttempts = 1;
            options.Retry.Delay = TimeSpan.FromMilliseconds(10);
        });
        await using var provider = services.BuildServiceProvider();

        var error = await Assert.ThrowsAsync<MlflowException>(() =>
            provider.GetRequiredService<MlflowClient>().GetExperimentAsync("1")).DefaultTimeout();

        Assert.Equal(KnownMlflowErrorCodes.TemporarilyUnavailable, error.ErrorCode);
        Assert.Null(error.HttpStatus);
        Assert.Equal("TimeoutRejectedException", error.InnerException!.GetType().Name);
        Assert.Contains($"127.0.0.1:{port}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConnectionRefused_TheOneMlflowError()
    {
        var port = FreePorts.Next();
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };

        var error = await Assert.ThrowsAsync<MlflowException>(() => new MlflowClient(http).GetRunAsync(Captured.RunId)).DefaultTimeout();

        Assert.Equal(KnownMlflowErrorCodes.TemporarilyUnavailable, error.ErrorCode);
        Assert.IsType<HttpRequestException>(error.InnerException);
    }

    [Fact]
    public async Task UserInfoInTrackingUri_SentAsBasicAndNeverPrinted()
    {
        await using var server = await FakeMlflowServer.StartAsync().DefaultTimeout();
        var uri = $"http://alice:{Secret}@{server.BaseAddress.Authority}/";
        var options = MlflowClientOptions.FromEnvironment(key => key == KnownMlflowEnvironment.TrackingUri ? uri : null);
        using var http = new HttpClient();
        var client = new MlflowClient(http, options);

        await client.GetExperimentAsync("1").DefaultTimeout();
        var notFound = await Assert.ThrowsAsync<MlflowException>(() => client.GetRunAsync(Captured.MissingRunId)).DefaultTimeout();
        await server.DisposeAsync();
        var unreachable = await Assert.ThrowsAsync<MlflowException>(() => client.GetRunAsync(Captured.RunId)).DefaultTimeout();

        var expected = "Basic " + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"alice:{Secret}"));
        Assert.All(server.Requests, r => Assert.Equal(expected, r.Authorization));
        foreach (var text in new[] { options.TrackingUri!.ToString(), options.ToString(), client.BaseAddress.ToString(), notFound.ToString(), unreachable.ToString() })
        {
            Assert.DoesNotContain(Secret, text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task UserInfoInHttpClientBaseAddress_StrippedFromTheClientsAddress()
    {
        await using var server = await FakeMlflowServer.StartAsync().DefaultTimeout();
        using var http = new HttpClient { BaseAddress = new Uri($"http://bob:{Secret}@{server.BaseAddress.Authority}/") };
        var client = new MlflowClient(http);

        await client.GetExperimentAsync("1").DefaultTimeout();

        Assert.DoesNotContain(Secret, client.BaseAddress.ToString(), StringComparison.Ordinal);
        Assert.StartsWith("Basic ", Assert.Single(server.Requests).Authorization, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("see http://alice:pw@host:5000/api and https://u@h/x", "see http://host:5000/api and https://h/x")]
    [InlineData("no url here", "no url here")]
    public void RedactText_RemovesEveryUserInfo(string text, string expected) =>
        Assert.Equal(expected, UriRedaction.RedactText(text));

    private static ServiceCollection Services(string trackingUri)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [KnownMlflowEnvironment.TrackingUri] = trackingUri })
            .Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        return services;
    }
}
