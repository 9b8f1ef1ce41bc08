using System.Net;
using MlOps.Mlflow;
using MlOps.Tests.Infrastructure;

namespace MlOps.Tests.Mlflow;

public sealed class MlflowClientExperimentTests : FakeMlflowServerTestBase
{
    [Fact]
    public async Task CreateExperiment_WithTags_SendsCapturedRequestAndReturnsId()
    {
        var id = await Client.CreateExperimentAsync(Captured.ExperimentName, [new KeyValueTag("team", "ml")]).DefaultTimeout();

        Assert.Equal("1", id);
        Assert.Equal(["experiments_create"], Server.Replayed);
    }

    [Fact]
    public async Task GetExperiment_ById_ParsesAllFields()
    {
        var experiment = await Client.GetExperimentAsync("1").DefaultTimeout();

        Assert.Equal("1", experiment.ExperimentId);
        Assert.Equal(Captured.ExperimentName, experiment.Name);
        Assert.Equal("mlflow-artifacts:/1", experiment.ArtifactLocation);
        Assert.Equal("active", experiment.LifecycleStage);
        Assert.Equal(1795488652615, experiment.CreationTime);
        Assert.Equal(1795488652615, experiment.LastUpdateTime);
        Assert.Equal(new KeyValueTag("team", "ml"), Assert.Single(experiment.Tags));
    }

    [Fact]
    public async Task GetExperimentByName_Existing_ParsesExperiment()
    {
        var experiment = await Client.GetExperimentByNameAsync(Captured.ExperimentName).DefaultTimeout();

        Assert.Equal("1", experiment.ExperimentId);
    }

    [Fact]
    public async Task GetExperimentByName_Missing_ThrowsNotFound404()
    {
        var error = await Assert.ThrowsAsync<MlflowException>(() => Client.GetExperimentByNameAsync(Captured.MissingExperimentName))
            .DefaultTimeout();

        Assert.Equal(KnownMlflowErrorCodes.ResourceDoesNotExist, error.ErrorCode);
        Assert.Equal(HttpStatusCode.NotFound, error.HttpStatus);
        Assert.True(error.IsNotFound);
        Assert.Contains(Captured.MissingExperimentName, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateExperiment_Duplicate_ThrowsAlreadyExists400()
    {
        var error = await Assert.ThrowsAsync<MlflowException>(() => Client.CreateExperimentAsync(Captured.ExperimentName))
            .DefaultTimeout();

        Assert.Equal(KnownMlflowErrorCodes.ResourceAlreadyExists, error.ErrorCode);
        Assert.Equal(HttpStatusCode.BadRequest, error.HttpStatus);
    }

    [Fact]
    public async Task SearchExperiments_ByName_ReturnsOnePageWithoutToken()
    {
        var page = await Client.SearchExperimentsAsync(new ExperimentSearch
        {
            Filter = $"name = '{Captured.ExperimentName}'",
            MaxResults = 10,
        }).DefaultTimeout();

        var experiment = Assert.Single(page.Items);
        Assert.Equal(Captured.ExperimentName, experiment.Name);
        Assert.Null(page.NextPageToken);
    }

    [Fact]
    public async Task GetOrCreateExperiment_Existing_ReadsWithoutCreating()
    {
        var experiment = await Client.GetOrCreateExperimentAsync(Captured.ExperimentName).DefaultTimeout();

        Assert.Equal("1", experiment.ExperimentId);
        Assert.Equal(["experiments_get_by_name"], Server.Replayed);
    }
}
