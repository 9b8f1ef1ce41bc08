using Microsoft.AspNetCore.Http.HttpResults;
using MlOps.Tracking.Infrastructure;

namespace MlOps.Tracking.Runs;

internal static class RunsApi
{
    public static IEndpointRouteBuilder MapRuns(this IEndpointRouteBuilder app)
    {
        var runs = app.MapGroup("/api/2.0/mlflow/runs");
        runs.MapPost("/create", CreateAsync);
        runs.MapGet("/get", GetAsync);
        runs.MapPost("/update", UpdateAsync);
        runs.MapPost("/search", SearchAsync);
        runs.MapPost("/log-batch", LogBatchAsync);
        runs.MapPost("/log-metric", LogMetricAsync);
        runs.MapPost("/log-parameter", LogParameterAsync);
        runs.MapPost("/set-tag", SetTagAsync);
        runs.MapPost("/log-inputs", LogInputsAsync);
        runs.MapPost("/delete-tag", DeleteTagAsync);
        runs.MapPost("/delete", (HttpRequest request, RunStore store) => SetStageAsync(request, store, "deleted"));
        runs.MapPost("/restore", (HttpRequest request, RunStore store) => SetStageAsync(request, store, "active"));
        app.MapGet("/api/2.0/mlflow/metrics/get-history", GetMetricHistoryAsync);
        return app;
    }

    private static async Task<Ok<RunResponse>> CreateAsync(HttpRequest request, RunStore store)
    {
        var message = await RequestReader.ReadAsync<CreateRunRequest>(request);
        return TypedResults.Ok(new RunResponse(await store.CreateAsync(message, request.HttpContext.RequestAborted)));
    }

    private static async Task<Ok<RunResponse>> GetAsync(HttpRequest request, RunStore store)
    {
        var message = await RequestReader.ReadAsync<RunIdRequest>(request);
        var run = await store.GetAsync(message.Id, request.HttpContext.RequestAborted) ?? throw RunStore.RunNotFound(message.Id);
        return TypedResults.Ok(new RunResponse(run));
    }

    private static async Task<Ok<UpdateRunResponse>> UpdateAsync(HttpRequest request, RunStore store)
    {
        var message = await RequestReader.ReadAsync<UpdateRunRequest>(request);
        var runId = Require.NotEmpty(message.RunId ?? message.RunUuid, "run_id");
        return TypedResults.Ok(new UpdateRunResponse(await store.UpdateAsync(message, runId, request.HttpContext.RequestAborted)));
    }

    private static async Task<Ok<SearchRunsResponse>> SearchAsync(HttpRequest request, RunStore store)
    {
        var message = await RequestReader.ReadAsync<SearchRunsRequest>(request);
        return TypedResults.Ok(await store.SearchAsync(message, request.HttpContext.RequestAborted));
    }

    private static async Task<Ok<Empty>> LogBatchAsync(HttpRequest request, RunLogStore store)
    {
        var message = await RequestReader.ReadAsync<LogBatchRequest>(request);
        var runId = Require.NotEmpty(message.RunId, "run_id");
        await store.LogBatchAsync(
            runId, Require.Items(message.Metrics, "metrics"), Require.Items(message.Params, "params"), Require.Items(message.Tags, "tags"),
            request.HttpContext.RequestAborted);
        return TypedResults.Ok(Empty.Instance);
    }

    private static async Task<Ok<Empty>> LogMetricAsync(HttpRequest request, RunLogStore store)
    {
        var message = await RequestReader.ReadAsync<LogMetricRequest>(request);
        var runId = Require.NotEmpty(message.RunId ?? message.RunUuid, "run_id");
        var metric = new Metric(
            Require.NotEmpty(message.Key, "key"), Require.Present(message.Value, "value"), Require.Present(message.Timestamp, "timestamp"), message.Step);
        await store.LogBatchAsync(runId, [metric], [], [], request.HttpContext.RequestAborted);
        return TypedResults.Ok(Empty.Instance);
    }

    private static async Task<Ok<Empty>> LogParameterAsync(HttpRequest request, RunLogStore store)
    {
        var message = await RequestReader.ReadAsync<LogParamRequest>(request);
        var runId = Require.NotEmpty(message.RunId ?? message.RunUuid, "run_id");
        await store.LogBatchAsync(runId, [], [new KeyValue(Require.NotEmpty(message.Key, "key"), message.Value ?? throw MlflowException.Missing("value"))], [],
            request.HttpContext.RequestAborted);
        return TypedResults.Ok(Empty.Instance);
    }

    private static async Task<Ok<Empty>> SetTagAsync(HttpRequest request, RunLogStore store)
    {
        var message = await RequestReader.ReadAsync<LogParamRequest>(request);
        var runId = Require.NotEmpty(message.RunId ?? message.RunUuid, "run_id");
        await store.LogBatchAsync(runId, [], [], [new KeyValue(Require.NotEmpty(message.Key, "key"), message.Value ?? throw MlflowException.Missing("value"))],
            request.HttpContext.RequestAborted);
        return TypedResults.Ok(Empty.Instance);
    }

    private static async Task<Ok<Empty>> LogInputsAsync(HttpRequest request, RunLogStore store)
    {
        var message = await RequestReader.ReadAsync<LogInputsRequest>(request);
        var runId = Require.NotEmpty(message.RunId, "run_id");
        await store.LogInputsAsync(runId, Require.Items(message.Datasets, "datasets"), request.HttpContext.RequestAborted);
        return TypedResults.Ok(Empty.Instance);
    }

    private static async Task<Ok<MetricHistoryResponse>> GetMetricHistoryAsync(HttpRequest request, RunStore store)
    {
        var message = await RequestReader.ReadAsync<MetricHistoryRequest>(request);
        var runId = Require.NotEmpty(message.RunId ?? message.RunUuid, "run_id");
        var key = Require.NotEmpty(message.MetricKey, "metric_key");

        // MLflow's server ignores max_results here and answers the whole history.
        var metrics = await store.GetMetricHistoryAsync(runId, key, request.HttpContext.RequestAborted);
        return TypedResults.Ok(new MetricHistoryResponse(metrics, null));
    }

    private static async Task<Ok<Empty>> DeleteTagAsync(HttpRequest request, RunStore store)
    {
        var message = await RequestReader.ReadAsync<DeleteTagRequest>(request);
        await store.DeleteTagAsync(Require.NotEmpty(message.RunId, "run_id"), Require.NotEmpty(message.Key, "key"), request.HttpContext.RequestAborted);
        return TypedResults.Ok(Empty.Instance);
    }

    private static async Task<Ok<Empty>> SetStageAsync(HttpRequest request, RunStore store, string stage)
    {
        var message = await RequestReader.ReadAsync<RunIdRequest>(request);
        await store.SetLifecycleStageAsync(message.Id, stage, request.HttpContext.RequestAborted);
        return TypedResults.Ok(Empty.Instance);
    }
}
