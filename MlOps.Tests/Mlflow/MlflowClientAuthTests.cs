using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MlOps.Mlflow;
using MlOps.Tests.Infrastructure;

namespace MlOps.Tests.Mlflow;

public sealed class MlflowClientAuthTests : IAsyncLifetime
{
    private const string Token = "tok-3f9a-secret";
    private const string Password = "pa55-secret";
    private FakeMlflowServer _server = null!;

    public async Task InitializeAsync() => _server = await FakeMlflowServer.StartAsync().DefaultTimeout();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private Func<string, string?> Environment(params (string Key, string Value)[] variables)
    {
        var all = variables.Append((KnownMlflowEnvironment.TrackingUri, _server.BaseAddress.ToString())).ToDictionary(v => v.Item1, v => v.Item2);
        return key => all.GetValueOrDefault(key);
    }

    [Fact]
    public async Task Token_FromEnvironment_SentAsBearer()
    {
        var options = MlflowClientOptions.FromEnvironment(Environment((KnownMlflowEnvironment.TrackingToken, Token)));
        using var http = new HttpClient();
        var client = new MlflowClient(http, options);

        await client.GetExperimentAsync("1").DefaultTimeout();

        Assert.Equal($"Bearer {Token}", Assert.Single(_server.Requests).Authorization);
    }

    [Fact]
    public async Task UsernamePassword_FromEnvironment_SentAsBasic()
    {
        var options = MlflowClientOptions.FromEnvironment(Environment(
            (KnownMlflowEnvironment.TrackingUsername, "alice"), (KnownMlflowEnvironment.TrackingPassword, Password)));
        using var http = new HttpClient();
        var client = new MlflowClient(http, options);

        await client.GetExperimentAsync("1").DefaultTimeout();

        var expected = "Basic " + Convert.ToBase64String("alice:pa55-secret"u8.ToArray());
        Assert.Equal(expected, Assert.Single(_server.Requests).Authorization);
    }

    [Fact]
    public async Task NoCredentials_NoAuthorizationHeader()
    {
        using var http = _server.CreateHttpClient();

        await new MlflowClient(http).GetExperimentAsync("1").DefaultTimeout();

        Assert.Equal(string.Empty, Assert.Single(_server.Requests).Authorization);
    }

    [Fact]
    public async Task Secrets_NeverInErrorsOrOptionsText()
    {
        var options = MlflowClientOptions.FromEnvironment(Environment(
            (KnownMlflowEnvironment.TrackingToken, Token), (KnownMlflowEnvironment.TrackingUsername, "alice"),
            (KnownMlflowEnvironment.TrackingPassword, Password)));
        using var http = new HttpClient();
        var client = new MlflowClient(http, options);

        var error = await Assert.ThrowsAsync<MlflowException>(() => client.GetRunAsync(Captured.MissingRunId)).DefaultTimeout();
        var badUri = Assert.Throws<FormatException>(() => MlflowClientOptions.ParseTrackingUri($"ftp://alice:{Password}@host/"));

        foreach (var text in new[] { error.ToString(), options.ToString(), badUri.ToString() })
        {
            Assert.DoesNotContain(Token, text, StringComparison.Ordinal);
            Assert.DoesNotContain(Password, text, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("file:///tmp/mlruns")]
    [InlineData("databricks")]
    [InlineData("not a url")]
    public void FromEnvironment_NonHttpTrackingUri_ThrowsFormatNamingVariable(string uri)
    {
        var error = Assert.Throws<FormatException>(() =>
            MlflowClientOptions.FromEnvironment(key => key == KnownMlflowEnvironment.TrackingUri ? uri : null));

        Assert.Contains(KnownMlflowEnvironment.TrackingUri, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddMlflowClient_FromConfiguration_TypedClientUsesUriAndToken()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [KnownMlflowEnvironment.TrackingUri] = _server.BaseAddress.ToString(),
            [KnownMlflowEnvironment.TrackingToken] = Token,
        }).Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration);
        services.AddMlflowClient();
        await using var provider = services.BuildServiceProvider();

        var client = provider.GetRequiredService<MlflowClient>();
        var experiment = await client.GetExperimentAsync("1").DefaultTimeout();

        Assert.Equal("1", experiment.ExperimentId);
        Assert.Equal($"Bearer {Token}", Assert.Single(_server.Requests).Authorization);
    }

    [Fact]
    public async Task AddMlflowClient_NoTrackingUri_ThrowsNamingVariable()
    {
        var services = new ServiceCollection().AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        services.AddMlflowClient();
        await using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<MlflowClient>());

        Assert.Contains(KnownMlflowEnvironment.TrackingUri, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BaseAddressWithPathPrefix_ApiPathsResolveUnderIt()
    {
        using var http = new HttpClient { BaseAddress = new Uri(_server.BaseAddress, "prefix") };
        var client = new MlflowClient(http);

        await Assert.ThrowsAsync<MlflowException>(() => client.GetExperimentAsync("1")).DefaultTimeout();

        Assert.StartsWith("/prefix/api/2.0/mlflow/experiments/get", Assert.Single(_server.Requests).PathAndQuery, StringComparison.Ordinal);
    }
}
