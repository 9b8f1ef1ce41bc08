using System.Net;
using MlOps.Mlflow;
using MlOps.Tests.Infrastructure;

namespace MlOps.Tests.Mlflow;

/// <summary>
/// One test for each behaviour the reference README documents where a real MLflow 2.19 server answers other than a
/// client might guess, read through the client against the replay fake (the captures, not our server).
/// </summary>
public sealed class MlflowReferenceBehaviourTests : FakeMlflowServerTestBase
{
    private const string RunsSource = "runs:/" + FakeMlflowServer.RunsSourceRunId + "/model";

    [Fact]
    public async Task CreateModelVersion_RunsSource_KeptAsGiven()
    {
        var version = await Client.CreateModelVersionAsync(FakeMlflowServer.RunsSourceModel, RunsSource, FakeMlflowServer.RunsSourceRunId)
            .DefaultTimeout();

        Assert.Equal(RunsSource, version.Source);
        Assert.Equal(("1", "READY", "None"), (version.Version, version.Status, version.CurrentStage));
        Assert.Equal(["model_versions_create_runs_source"], Server.Replayed);
    }

    [Fact]
    public async Task GetDownloadUri_RunsSource_ReturnedUnchanged()
    {
        var uri = await Client.GetModelVersionDownloadUriAsync(FakeMlflowServer.RunsSourceModel, "1").DefaultTimeout();

        Assert.Equal(RunsSource, uri);
    }

    [Fact]
    public async Task GetByAlias_RunsSource_SourceAndAliasesAsStrings()
    {
        var version = await Client.GetModelVersionByAliasAsync(FakeMlflowServer.RunsSourceModel, "production").DefaultTimeout();

        Assert.Equal(RunsSource, version.Source);
        Assert.Equal(["production"], version.Aliases);
    }

    [Fact]
    public async Task GetDownloadUri_ArtifactSource_TheProxiedUri()
    {
        var uri = await Client.GetModelVersionDownloadUriAsync(Captured.ModelName, "1").DefaultTimeout();

        Assert.Equal(Captured.ModelSource, uri);
    }

    [Fact]
    public async Task UnknownAlias_Is400InvalidParameterValue_Not404()
    {
        var error = await Assert.ThrowsAsync<MlflowException>(() => Client.GetModelVersionByAliasAsync(Captured.ModelName, "nope")).DefaultTimeout();

        Assert.Equal((KnownMlflowErrorCodes.InvalidParameterValue, HttpStatusCode.BadRequest), (error.ErrorCode, error.HttpStatus));
    }

    [Fact]
    public async Task AlreadyExists_Is400_Not409()
    {
        var error = await Assert.ThrowsAsync<MlflowException>(() => Client.CreateRegisteredModelAsync(Captured.ModelName)).DefaultTimeout();

        Assert.Equal((KnownMlflowErrorCodes.ResourceAlreadyExists, HttpStatusCode.BadRequest), (error.ErrorCode, error.HttpStatus));
    }

    [Fact]
    public async Task MissingProxiedArtifact_Is500InternalError_Not404()
    {
        using var temp = new TempDirectory();

        var error = await Assert.ThrowsAsync<MlflowException>(() =>
            Client.DownloadFileAsync(Captured.ArtifactUri, "model/nope.txt", temp.File("x"))).DefaultTimeout();

        Assert.Equal((KnownMlflowErrorCodes.InternalError, HttpStatusCode.InternalServerError), (error.ErrorCode, error.HttpStatus));
    }

    [Fact]
    public async Task RegisteredModel_AliasesAsObjects_VersionAliasesAsStrings()
    {
        var model = await Client.GetRegisteredModelAsync(Captured.ModelName).DefaultTimeout();
        var version = await Client.GetModelVersionByAliasAsync(Captured.ModelName, "champion").DefaultTimeout();

        Assert.Equal(new RegisteredModelAlias("champion", "1"), Assert.Single(model.Aliases));
        Assert.Equal(["champion"], version.Aliases);
    }

    [Fact]
    public async Task LatestVersions_PerStage_NotTheAliasedOne()
    {
        var latest = await Client.GetLatestVersionsAsync(Captured.ModelName).DefaultTimeout();

        // champion points at 1; the latest of stage None is 2.
        Assert.Equal("2", Assert.Single(latest).Version);
    }
}
