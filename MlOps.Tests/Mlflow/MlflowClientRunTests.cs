using System.Net;
using MlOps.Mlflow;
using MlOps.Tests.Infrastructure;

namespace MlOps.Tests.Mlflow;

public sealed class MlflowClientRunTests : FakeMlflowServerTestBase
{
    [Fact]
    public async Task CreateRun_WithNameTagsAndStart_SendsCapturedRequestAndParsesRun()
    {
        var run = await Client.CreateRunAsync("1", "smoke-run",
            [new RunTag(KnownMlflowTags.SourceName, "smoke.sh"), new RunTag("stage", "train")],
            DateTimeOffset.FromUnixTimeMilliseconds(Captured.RunStart), "smoke").DefaultTimeout();

        Assert.Equal(Captured.RunId, run.Info.RunId);
        Assert.Equal(Captured.RunId, run.Info.RunUuid);
        Assert.Equal(RunStatus.Running, run.Info.Status);
        Assert.Null(run.Info.EndTime);
        Assert.Equal(Captured.ArtifactUri, run.Info.ArtifactUri);
        Assert.Contains(new RunTag(KnownMlflowTags.RunName, "smoke-run"), run.Data.Tags);
        Assert.Empty(run.Data.Metrics);
        Assert.Empty(run.Data.Params);
        Assert.Empty(run.Inputs.DatasetInputs);
    }

    [Fact]
    public async Task LogBatch_MetricsParamsTags_SendsCapturedRequest()
    {
        await Client.LogBatchAsync(Captured.RunId,
            [
                new Metric("loss", 0.9, 1795488655537, 0), new Metric("loss", 0.5, 1795488655538, 1),
                new Metric("loss", 0.25, 1795488655539, 2), new Metric("accuracy", 0.8, 1795488655537, 2),
            ],
            [new Param("lr", "0.01"), new Param("epochs", "3")],
            [new RunTag("framework", "none")]).DefaultTimeout();

        Assert.Equal(["runs_log_batch"], Server.Replayed);
    }

    [Fact]
    public async Task LogBatch_Empty_SendsNothing()
    {
        await Client.LogBatchAsync(Captured.RunId).DefaultTimeout();

        Assert.Empty(Server.Requests);
    }

    [Fact]
    public async Task LogMetricParamAndSetTag_SendCapturedRequests()
    {
        await Client.LogMetricAsync(Captured.RunId, new Metric("f1", 0.7, 1795488655921, 0)).DefaultTimeout();
        await Client.LogParamAsync(Captured.RunId, "batch_size", "32").DefaultTimeout();
        await Client.SetTagAsync(Captured.RunId, "note", "hello").DefaultTimeout();

        Assert.Equal(["runs_log_metric", "runs_log_parameter", "runs_set_tag"], Server.Replayed);
    }

    [Fact]
    public async Task LogParam_ChangedValue_ThrowsInvalidParameter400()
    {
        var error = await Assert.ThrowsAsync<MlflowException>(() => Client.LogParamAsync(Captured.RunId, "lr", "0.02"))
            .DefaultTimeout();

        Assert.Equal(KnownMlflowErrorCodes.InvalidParameterValue, error.ErrorCode);
        Assert.Equal(HttpStatusCode.BadRequest, error.HttpStatus);
    }

    [Fact]
    public async Task LogInputs_Dataset_SendsCapturedRequest()
    {
        await Client.LogInputsAsync(Captured.RunId,
        [
            new DatasetInput
            {
                Tags = [new InputTag(KnownMlflowTags.DatasetContext, "training")],
                Dataset = new Dataset
                {
                    Name = "iris",
                    Digest = "abc123",
                    SourceType = "local",
                    Source = """{"uri": "/data/iris.csv"}""",
                    Schema = """{"mlflow_colspec": [{"type": "double", "name": "x"}]}""",
                    Profile = """{"num_rows": 150}""",
                },
            },
        ]).DefaultTimeout();

        Assert.Equal(["runs_log_inputs"], Server.Replayed);
    }

    [Fact]
    public async Task UpdateRun_Finished_SendsCapturedRequestAndParsesInfo()
    {
        var info = await Client.UpdateRunAsync(Captured.RunId, RunStatus.Finished,
            DateTimeOffset.FromUnixTimeMilliseconds(Captured.RunEnd), "smoke-run-final").DefaultTimeout();

        Assert.Equal(RunStatus.Finished, info.Status);
        Assert.Equal(Captured.RunEnd, info.EndTime);
        Assert.Equal("smoke-run-final", info.RunName);
    }

    [Fact]
    public async Task GetRun_Finished_ParsesMetricsParamsTagsAndInputs()
    {
        var run = await Client.GetRunAsync(Captured.RunId).DefaultTimeout();

        Assert.Equal(RunStatus.Finished, run.Info.Status);
        Assert.Equal(Captured.RunEnd, run.Info.EndTime);
        Assert.Equal(new Metric("loss", 0.25, 1795488655539, 2), run.Data.Metrics[0]);
        Assert.Equal(3, run.Data.Metrics.Count);
        Assert.Equal([new Param("lr", "0.01"), new Param("epochs", "3"), new Param("batch_size", "32")], run.Data.Params);
        Assert.Contains(new RunTag("note", "hello"), run.Data.Tags);
        var input = Assert.Single(run.Inputs.DatasetInputs);
        Assert.Equal(new InputTag(KnownMlflowTags.DatasetContext, "training"), Assert.Single(input.Tags));
        Assert.Equal("iris", input.Dataset.Name);
        Assert.Equal("abc123", input.Dataset.Digest);
        Assert.Equal("""{"num_rows": 150}""", input.Dataset.Profile);
    }

    [Fact]
    public async Task GetRun_Missing_ThrowsNotFound404()
    {
        var error = await Assert.ThrowsAsync<MlflowException>(() => Client.GetRunAsync(Captured.MissingRunId)).DefaultTimeout();

        Assert.Equal(KnownMlflowErrorCodes.ResourceDoesNotExist, error.ErrorCode);
        Assert.Equal(HttpStatusCode.NotFound, error.HttpStatus);
    }

    [Fact]
    public async Task SearchRuns_FilterAndOrder_SendsCapturedRequestAndParsesRuns()
    {
        var page = await Client.SearchRunsAsync(new RunSearch
        {
            ExperimentIds = ["1"],
            Filter = "metrics.loss < 1 and params.lr = '0.01'",
            RunViewType = "ACTIVE_ONLY",
            MaxResults = 10,
            OrderBy = ["metrics.loss ASC", "attributes.start_time DESC"],
        }).DefaultTimeout();

        var run = Assert.Single(page.Items);
        Assert.Equal(Captured.RunId, run.Info.RunId);
        Assert.Single(run.Inputs.DatasetInputs);
        Assert.Null(page.NextPageToken);
    }

    [Fact]
    public async Task SearchRuns_NoMatch_EmptyObjectIsEmptyPage()
    {
        var page = await Client.SearchRunsAsync(new RunSearch { ExperimentIds = ["1"], Filter = "metrics.loss > 100" })
            .DefaultTimeout();

        Assert.Empty(page.Items);
        Assert.Null(page.NextPageToken);
        Assert.Equal(["runs_search_empty"], Server.Replayed);
    }

    [Fact]
    public async Task SearchRuns_BadFilter_ThrowsInvalidParameter400()
    {
        var error = await Assert.ThrowsAsync<MlflowException>(() =>
            Client.SearchRunsAsync(new RunSearch { ExperimentIds = ["1"], Filter = "metrics.loss <<< 1" })).DefaultTimeout();

        Assert.Equal(KnownMlflowErrorCodes.InvalidParameterValue, error.ErrorCode);
        Assert.Equal(HttpStatusCode.BadRequest, error.HttpStatus);
    }

    [Fact]
    public async Task GetMetricHistory_Logged_ReturnsEverySteps()
    {
        var history = await Client.GetMetricHistoryAsync(Captured.RunId, "loss").DefaultTimeout();

        Assert.Equal([0.9, 0.5, 0.25], history.Select(m => m.Value));
        Assert.Equal([0L, 1L, 2L], history.Select(m => m.Step));
    }

    [Fact]
    public async Task GetMetricHistory_UnknownKey_Empty()
    {
        var history = await Client.GetMetricHistoryAsync(Captured.RunId, "no_such_metric").DefaultTimeout();

        Assert.Empty(history);
    }
}
