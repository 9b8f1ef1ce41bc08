using System.Text;
using MlOps.Tests.Infrastructure;

namespace MlOps.Tests.Tracking;

[Collection(PostgresCollection.Name)]
public sealed class HealthAndErrorTests(PostgresFixture postgres)
{
    [Fact]
    public async Task Health_AnswersPlainOk_AndVersionAnswersAVersion()
    {
        await using var server = await TrackingServer.StartAsync(postgres);

        using var health = await server.Client.GetAsync(new Uri("/health", UriKind.Relative)).DefaultTimeout();
        var version = await server.Client.GetStringAsync(new Uri("/version", UriKind.Relative)).DefaultTimeout();

        Assert.Equal("OK", await health.Content.ReadAsStringAsync().DefaultTimeout());
        Assert.Equal("text/plain", health.Content.Headers.ContentType!.MediaType);
        Assert.Matches(@"^\d+\.\d+", version);
    }

    [Theory]
    [InlineData("text/plain", """{"name": "x"}""")]
    [InlineData("application/json", """{"name": """)]
    [InlineData("application/json", """[1, 2]""")]
    [InlineData("application/json", """{"name": 5}""")]
    public async Task Post_BadBody_IsInvalidParameterValue(string contentType, string body)
    {
        await using var server = await TrackingServer.StartAsync(postgres);
        using var content = new StringContent(body, Encoding.UTF8, contentType);

        using var response = await server.Client.PostAsync(new Uri("/api/2.0/mlflow/experiments/create", UriKind.Relative), content).DefaultTimeout();

        Assert.Equal(400, (int)response.StatusCode);
        Assert.Contains("INVALID_PARAMETER_VALUE", await response.Content.ReadAsStringAsync().DefaultTimeout(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Errors_ForUnknownThings_UseMlflowCodes()
    {
        await using var server = await TrackingServer.StartAsync(postgres);

        Assert.Equal(404, (await server.GetAsync("/api/2.0/mlflow/runs/get?run_id=0123456789abcdef0123456789abcdef")).Status);
        Assert.Equal(404, (await server.GetAsync("/api/2.0/mlflow/experiments/get?experiment_id=42")).Status);
        Assert.Equal(400, (await server.GetAsync("/api/2.0/mlflow/experiments/get?experiment_id=abc")).Status);
        Assert.Equal(400, (await server.GetAsync("/api/2.0/mlflow/model-versions/get?name=m&version=x")).Status);
        Assert.Equal(404, (await server.PostAsync("/api/2.0/mlflow/runs/create", new { experiment_id = "77" })).Status);
    }
}
