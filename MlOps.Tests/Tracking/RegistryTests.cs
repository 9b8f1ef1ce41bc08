using MlOps.Tests.Infrastructure;

namespace MlOps.Tests.Tracking;

[Collection(PostgresCollection.Name)]
public sealed class RegistryTests(PostgresFixture postgres)
{
    [Fact]
    public async Task CreateModelVersion_Concurrently_NumbersWithoutGapsOrDuplicates()
    {
        await using var server = await TrackingServer.StartAsync(postgres);
        await server.PostOkAsync("/api/2.0/mlflow/registered-models/create", new { name = "m" });

        var versions = await Task.WhenAll(Enumerable.Range(0, 20).Select(async i =>
        {
            var created = await server.PostOkAsync("/api/2.0/mlflow/model-versions/create", new { name = "m", source = $"mlflow-artifacts:/0/r{i}/artifacts/model" });
            return int.Parse(created["model_version"]!["version"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
        })).DefaultTimeout();

        Assert.Equal(Enumerable.Range(1, 20), versions.Order());
    }

    [Fact]
    public async Task Aliases_SetGetDelete_FollowMlflow()
    {
        await using var server = await TrackingServer.StartAsync(postgres);
        var runId = await server.CreateRunAsync(await server.CreateExperimentAsync());
        await server.PostOkAsync("/api/2.0/mlflow/registered-models/create", new { name = "fraud" });
        await server.PostOkAsync("/api/2.0/mlflow/model-versions/create", new { name = "fraud", source = $"runs:/{runId}/model", run_id = runId });
        await server.PostOkAsync("/api/2.0/mlflow/model-versions/create", new { name = "fraud", source = $"runs:/{runId}/model", run_id = runId });

        await server.PostOkAsync("/api/2.0/mlflow/registered-models/alias", new { name = "fraud", alias = "production", version = "1" });
        var aliased = await server.GetOkAsync("/api/2.0/mlflow/registered-models/alias?name=fraud&alias=production");
        Assert.Equal("1", aliased["model_version"]!["version"]!.GetValue<string>());
        Assert.Equal("production", aliased["model_version"]!["aliases"]![0]!.GetValue<string>());

        // Moving the alias points it at the new version.
        await server.PostOkAsync("/api/2.0/mlflow/registered-models/alias", new { name = "fraud", alias = "production", version = "2" });
        var model = await server.GetOkAsync("/api/2.0/mlflow/registered-models/get?name=fraud");
        Assert.Equal("2", model["registered_model"]!["aliases"]![0]!["version"]!.GetValue<string>());

        // As MLflow: the source exactly as registered, runs:/ included (clients resolve it through runs/get).
        var uri = await server.GetOkAsync("/api/2.0/mlflow/model-versions/get-download-uri?name=fraud&version=2");
        Assert.Equal($"runs:/{runId}/model", uri["artifact_uri"]!.GetValue<string>());

        using var delete = new HttpRequestMessage(HttpMethod.Delete, new Uri("/api/2.0/mlflow/registered-models/alias?name=fraud&alias=production", UriKind.Relative));
        using var deleted = await server.Client.SendAsync(delete).DefaultTimeout();
        Assert.Equal(200, (int)deleted.StatusCode);

        var (status, body) = await server.GetAsync("/api/2.0/mlflow/registered-models/alias?name=fraud&alias=production");
        Assert.Equal(400, status);
        Assert.Equal("INVALID_PARAMETER_VALUE", body!["error_code"]!.GetValue<string>());

        var (unknownModel, _) = await server.GetAsync("/api/2.0/mlflow/registered-models/alias?name=nope&alias=production");
        Assert.Equal(404, unknownModel);
        var (missingVersion, _) = await server.PostAsync("/api/2.0/mlflow/registered-models/alias", new { name = "fraud", alias = "x", version = "9" });
        Assert.Equal(404, missingVersion);
    }

    [Fact]
    public async Task CreateRegisteredModel_Twice_IsResourceAlreadyExistsWith400()
    {
        await using var server = await TrackingServer.StartAsync(postgres);
        await server.PostOkAsync("/api/2.0/mlflow/registered-models/create", new { name = "dup" });

        var (status, body) = await server.PostAsync("/api/2.0/mlflow/registered-models/create", new { name = "dup" });

        Assert.Equal(400, status);
        Assert.Equal("RESOURCE_ALREADY_EXISTS", body!["error_code"]!.GetValue<string>());
    }
}
