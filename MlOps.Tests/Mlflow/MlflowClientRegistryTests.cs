using System.Net;
using MlOps.Mlflow;
using MlOps.Tests.Infrastructure;

namespace MlOps.Tests.Mlflow;

public sealed class MlflowClientRegistryTests : FakeMlflowServerTestBase
{
    [Fact]
    public async Task CreateRegisteredModel_WithDescriptionAndTags_SendsCapturedRequest()
    {
        var model = await Client.CreateRegisteredModelAsync(Captured.ModelName, "smoke test model", [new KeyValueTag("owner", "smoke")])
            .DefaultTimeout();

        Assert.Equal(Captured.ModelName, model.Name);
        Assert.Equal("smoke test model", model.Description);
        Assert.Equal(1795488664588, model.CreationTimestamp);
        Assert.Empty(model.LatestVersions);
        Assert.Empty(model.Aliases);
    }

    [Fact]
    public async Task CreateRegisteredModel_Duplicate_ThrowsAlreadyExists400()
    {
        var error = await Assert.ThrowsAsync<MlflowException>(() => Client.CreateRegisteredModelAsync(Captured.ModelName))
            .DefaultTimeout();

        Assert.Equal(KnownMlflowErrorCodes.ResourceAlreadyExists, error.ErrorCode);
        Assert.Equal(HttpStatusCode.BadRequest, error.HttpStatus);
    }

    [Fact]
    public async Task CreateModelVersion_WithAndWithoutExtras_SendsCapturedRequests()
    {
        var first = await Client.CreateModelVersionAsync(Captured.ModelName, Captured.ModelSource, Captured.RunId, "v1",
            [new KeyValueTag("validated", "true")]).DefaultTimeout();
        var second = await Client.CreateModelVersionAsync(Captured.ModelName, Captured.ModelSource, Captured.RunId).DefaultTimeout();

        Assert.Equal(("1", "READY", "None"), (first.Version, first.Status, first.CurrentStage));
        Assert.Equal("2", second.Version);
        Assert.Empty(second.Tags);
        Assert.Equal(["model_versions_create", "model_versions_create_2"], Server.Replayed);
    }

    [Fact]
    public async Task GetModelVersion_Existing_ParsesVersion()
    {
        var version = await Client.GetModelVersionAsync(Captured.ModelName, "1").DefaultTimeout();

        Assert.Equal(Captured.ModelSource, version.Source);
        Assert.Equal(Captured.RunId, version.RunId);
        Assert.Equal(new KeyValueTag("validated", "true"), Assert.Single(version.Tags));
        Assert.Empty(version.Aliases);
    }

    [Fact]
    public async Task GetModelVersion_Missing_ThrowsNotFound404()
    {
        var error = await Assert.ThrowsAsync<MlflowException>(() => Client.GetModelVersionAsync(Captured.ModelName, "99"))
            .DefaultTimeout();

        Assert.Equal(KnownMlflowErrorCodes.ResourceDoesNotExist, error.ErrorCode);
        Assert.Equal(HttpStatusCode.NotFound, error.HttpStatus);
    }

    [Fact]
    public async Task Aliases_SetGetDelete_SendCapturedRequestsAndParseStringAliases()
    {
        await Client.SetRegisteredModelAliasAsync(Captured.ModelName, "champion", "1").DefaultTimeout();
        var aliased = await Client.GetModelVersionByAliasAsync(Captured.ModelName, "champion").DefaultTimeout();
        await Client.DeleteRegisteredModelAliasAsync(Captured.ModelName, "champion").DefaultTimeout();

        Assert.Equal("1", aliased.Version);
        Assert.Equal(["champion"], aliased.Aliases);
        Assert.Equal(["registered_models_set_alias", "registered_models_get_alias", "registered_models_delete_alias"], Server.Replayed);
    }

    [Fact]
    public async Task GetModelVersionByAlias_Unknown_ThrowsInvalidParameter400()
    {
        var error = await Assert.ThrowsAsync<MlflowException>(() => Client.GetModelVersionByAliasAsync(Captured.ModelName, "nope"))
            .DefaultTimeout();

        Assert.Equal(KnownMlflowErrorCodes.InvalidParameterValue, error.ErrorCode);
        Assert.Equal(HttpStatusCode.BadRequest, error.HttpStatus);
    }

    [Fact]
    public async Task GetModelVersionDownloadUri_ReturnsProxiedArtifactUri()
    {
        var uri = await Client.GetModelVersionDownloadUriAsync(Captured.ModelName, "1").DefaultTimeout();

        Assert.Equal(Captured.ModelSource, uri);
    }

    [Fact]
    public async Task GetLatestVersions_AllStages_ReturnsLatestVersion()
    {
        var latest = await Client.GetLatestVersionsAsync(Captured.ModelName).DefaultTimeout();

        Assert.Equal("2", Assert.Single(latest).Version);
    }

    [Fact]
    public async Task SetModelVersionTag_SendsCapturedRequest()
    {
        await Client.SetModelVersionTagAsync(Captured.ModelName, "1", "approved", "yes").DefaultTimeout();

        Assert.Equal(["model_versions_set_tag"], Server.Replayed);
    }

    [Fact]
    public async Task GetRegisteredModel_ParsesAliasObjectsAndLatestVersions()
    {
        var model = await Client.GetRegisteredModelAsync(Captured.ModelName).DefaultTimeout();

        Assert.Equal(new RegisteredModelAlias("champion", "1"), Assert.Single(model.Aliases));
        Assert.Equal("2", Assert.Single(model.LatestVersions).Version);
        Assert.Equal(new KeyValueTag("owner", "smoke"), Assert.Single(model.Tags));
    }

    [Fact]
    public async Task GetRegisteredModel_Missing_ThrowsNotFound404()
    {
        var error = await Assert.ThrowsAsync<MlflowException>(() => Client.GetRegisteredModelAsync(Captured.MissingModelName))
            .DefaultTimeout();

        Assert.Equal(KnownMlflowErrorCodes.ResourceDoesNotExist, error.ErrorCode);
        Assert.Equal(HttpStatusCode.NotFound, error.HttpStatus);
    }

    [Fact]
    public async Task SearchRegisteredModelsAndVersions_ByName_SendCapturedQueries()
    {
        var filter = new RegistrySearch { Filter = $"name = '{Captured.ModelName}'" };
        var models = await Client.SearchRegisteredModelsAsync(filter).DefaultTimeout();
        var versions = await Client.SearchModelVersionsAsync(filter).DefaultTimeout();

        Assert.Equal(Captured.ModelName, Assert.Single(models.Items).Name);
        Assert.Equal(["2", "1"], versions.Items.Select(v => v.Version));
        Assert.Contains(new KeyValueTag("approved", "yes"), versions.Items[1].Tags);
        Assert.Null(versions.NextPageToken);
    }
}
