namespace MlOps.Mlflow;

public sealed partial class MlflowClient
{
    /// <summary>MLflow's limit of metrics in one <c>runs/log-batch</c> call.</summary>
    public const int MaxMetricsPerBatch = 1000;

    /// <summary>MLflow's limit of params in one <c>runs/log-batch</c> call.</summary>
    public const int MaxParamsPerBatch = 100;

    /// <summary>MLflow's limit of tags in one <c>runs/log-batch</c> call.</summary>
    public const int MaxTagsPerBatch = 100;

    /// <summary>MLflow's limit of metrics, params and tags together in one <c>runs/log-batch</c> call.</summary>
    public const int MaxEntitiesPerBatch = 1000;

    /// <summary>Creates a run (<c>runs/create</c>); a run name also becomes the tag <c>mlflow.runName</c>.</summary>
    /// <param name="experimentId">The experiment to create it in.</param>
    /// <param name="runName">The display name, if any.</param>
    /// <param name="tags">Tags to set, if any.</param>
    /// <param name="startTime">When it started; now when null.</param>
    /// <param name="userId">The user, if any.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The new run.</returns>
    public async Task<Run> CreateRunAsync(
        string experimentId,
        string? runName = null,
        IEnumerable<RunTag>? tags = null,
        DateTimeOffset? startTime = null,
        string? userId = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(experimentId);
        var body = new CreateRunRequest(experimentId, runName, ToMilliseconds(startTime ?? DateTimeOffset.UtcNow), userId,
            MlflowJson.ListOrNull(tags));
        var response = await PostAsync<RunResponse>("runs/create", body, cancellationToken).ConfigureAwait(false);
        return response.Run;
    }

    /// <summary>Reads a run (<c>runs/get</c>) with the latest value of each metric.</summary>
    /// <param name="runId">The run id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The run.</returns>
    /// <exception cref="MlflowException"><c>RESOURCE_DOES_NOT_EXIST</c> when there is none.</exception>
    public async Task<Run> GetRunAsync(string runId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(runId);
        var response = await GetAsync<RunResponse>("runs/get", Query(("run_id", runId)), cancellationToken).ConfigureAwait(false);
        return response.Run;
    }

    /// <summary>Searches runs (<c>runs/search</c>), one page at a time.</summary>
    /// <param name="search">The experiments, filter, order and page.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>One page of runs (empty when nothing matched).</returns>
    /// <exception cref="MlflowException"><c>INVALID_PARAMETER_VALUE</c> for a bad filter.</exception>
    public async Task<MlflowPage<Run>> SearchRunsAsync(RunSearch search, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(search);
        var body = search with { OrderBy = MlflowJson.ListOrNull(search.OrderBy) };
        var response = await PostAsync<SearchRunsResponse>("runs/search", body, cancellationToken).ConfigureAwait(false);
        return new MlflowPage<Run>(response.Runs, NullIfEmpty(response.NextPageToken));
    }

    /// <summary>Updates a run's status, end time or name (<c>runs/update</c>).</summary>
    /// <param name="runId">The run id.</param>
    /// <param name="status">The new status (see <see cref="RunStatus"/>), or null to keep it.</param>
    /// <param name="endTime">The end time, or null to leave it.</param>
    /// <param name="runName">The new name, or null to keep it.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The updated run info.</returns>
    public async Task<RunInfo> UpdateRunAsync(
        string runId, string? status = null, DateTimeOffset? endTime = null, string? runName = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(runId);
        var body = new UpdateRunRequest(runId, status, endTime is { } end ? ToMilliseconds(end) : null, runName);
        var response = await PostAsync<UpdateRunResponse>("runs/update", body, cancellationToken).ConfigureAwait(false);
        return response.RunInfo;
    }

    /// <summary>Ends a run: sets its terminal status and end time.</summary>
    /// <param name="runId">The run id.</param>
    /// <param name="status"><see cref="RunStatus.Finished"/>, <see cref="RunStatus.Failed"/> or <see cref="RunStatus.Killed"/>.</param>
    /// <param name="endTime">When it ended; now when null.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The updated run info.</returns>
    public Task<RunInfo> SetTerminatedAsync(
        string runId, string status = RunStatus.Finished, DateTimeOffset? endTime = null, CancellationToken cancellationToken = default) =>
        UpdateRunAsync(runId, status, endTime ?? DateTimeOffset.UtcNow, cancellationToken: cancellationToken);

    /// <summary>
    /// Logs metrics, params and tags (<c>runs/log-batch</c>), split into as many calls as MLflow's limits need
    /// (1000 metrics, 100 params, 100 tags, 1000 in all per call). Nothing is sent when all are empty.
    /// </summary>
    /// <param name="runId">The run id.</param>
    /// <param name="metrics">Metric values with their step and timestamp.</param>
    /// <param name="parameters">Params; a param cannot change once logged.</param>
    /// <param name="tags">Tags.</param>
    /// <param name="cancellationToken">Cancels the calls.</param>
    /// <returns>A task that completes when everything is logged.</returns>
    public async Task LogBatchAsync(
        string runId,
        IEnumerable<Metric>? metrics = null,
        IEnumerable<Param>? parameters = null,
        IEnumerable<RunTag>? tags = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(runId);
        foreach (var chunk in LogBatchChunks(runId, metrics ?? [], parameters ?? [], tags ?? []))
        {
            await PostAsync<Empty>("runs/log-batch", chunk, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Logs one metric value (<c>runs/log-metric</c>).</summary>
    /// <param name="runId">The run id.</param>
    /// <param name="metric">The value with its step and timestamp.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when it is logged.</returns>
    public async Task LogMetricAsync(string runId, Metric metric, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(runId);
        ArgumentNullException.ThrowIfNull(metric);
        var body = new LogMetricRequest(runId, metric.Key, metric.Value, metric.Timestamp, metric.Step);
        await PostAsync<Empty>("runs/log-metric", body, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Logs one param (<c>runs/log-parameter</c>).</summary>
    /// <param name="runId">The run id.</param>
    /// <param name="key">The param name.</param>
    /// <param name="value">The value.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when it is logged.</returns>
    /// <exception cref="MlflowException"><c>INVALID_PARAMETER_VALUE</c> when the param was logged with another value.</exception>
    public async Task LogParamAsync(string runId, string key, string value, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(runId);
        await PostAsync<Empty>("runs/log-parameter", new KeyValueRequest(runId, key, value), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sets a run tag (<c>runs/set-tag</c>).</summary>
    /// <param name="runId">The run id.</param>
    /// <param name="key">The tag key.</param>
    /// <param name="value">The tag value.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when it is set.</returns>
    public async Task SetTagAsync(string runId, string key, string value, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(runId);
        await PostAsync<Empty>("runs/set-tag", new KeyValueRequest(runId, key, value), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Records the datasets a run used (<c>runs/log-inputs</c>).</summary>
    /// <param name="runId">The run id.</param>
    /// <param name="datasets">The datasets with their input tags (e.g. <c>mlflow.data.context</c>).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when they are recorded.</returns>
    public async Task LogInputsAsync(string runId, IEnumerable<DatasetInput> datasets, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(runId);
        ArgumentNullException.ThrowIfNull(datasets);
        var inputs = datasets.Select(d => new DatasetInputRequest(MlflowJson.ListOrNull(d.Tags), d.Dataset)).ToList();
        await PostAsync<Empty>("runs/log-inputs", new LogInputsRequest(runId, inputs), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads every value of a metric (<c>metrics/get-history</c>), following the pages to the end.</summary>
    /// <param name="runId">The run id.</param>
    /// <param name="metricKey">The metric name.</param>
    /// <param name="cancellationToken">Cancels the calls.</param>
    /// <returns>The values (empty for a metric never logged).</returns>
    public async Task<IReadOnlyList<Metric>> GetMetricHistoryAsync(
        string runId, string metricKey, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(runId);
        ArgumentException.ThrowIfNullOrEmpty(metricKey);
        var all = new List<Metric>();
        string? token = null;
        do
        {
            var page = await GetAsync<MetricHistoryResponse>("metrics/get-history",
                Query(("run_id", runId), ("metric_key", metricKey), ("page_token", token)), cancellationToken).ConfigureAwait(false);
            all.AddRange(page.Metrics);
            token = NullIfEmpty(page.NextPageToken);
        }
        while (token is not null);

        return all;
    }

    /// <summary>Splits a batch so that no call passes MLflow's per-call limits.</summary>
    internal static IEnumerable<LogBatchRequest> LogBatchChunks(
        string runId, IEnumerable<Metric> metrics, IEnumerable<Param> parameters, IEnumerable<RunTag> tags)
    {
        var m = metrics.ToList();
        var p = parameters.ToList();
        var t = tags.ToList();
        int mi = 0, pi = 0, ti = 0;
        while (mi < m.Count || pi < p.Count || ti < t.Count)
        {
            var pc = Math.Min(MaxParamsPerBatch, p.Count - pi);
            var tc = Math.Min(MaxTagsPerBatch, t.Count - ti);
            var mc = Math.Min(Math.Min(MaxMetricsPerBatch, MaxEntitiesPerBatch - pc - tc), m.Count - mi);
            yield return new LogBatchRequest(runId,
                mc > 0 ? m.GetRange(mi, mc) : null,
                pc > 0 ? p.GetRange(pi, pc) : null,
                tc > 0 ? t.GetRange(ti, tc) : null);
            mi += mc;
            pi += pc;
            ti += tc;
        }
    }

    internal sealed record LogBatchRequest(string RunId, List<Metric>? Metrics, List<Param>? Params, List<RunTag>? Tags);

    private sealed record Empty;

    private sealed record CreateRunRequest(string ExperimentId, string? RunName, long StartTime, string? UserId, List<RunTag>? Tags);

    private sealed record RunResponse(Run Run);

    private sealed record UpdateRunRequest(string RunId, string? Status, long? EndTime, string? RunName);

    private sealed record UpdateRunResponse(RunInfo RunInfo);

    private sealed record LogMetricRequest(string RunId, string Key, double Value, long Timestamp, long Step);

    private sealed record KeyValueRequest(string RunId, string Key, string Value);

    private sealed record LogInputsRequest(string RunId, List<DatasetInputRequest> Datasets);

    private sealed record DatasetInputRequest(List<InputTag>? Tags, Dataset Dataset);

    private sealed record SearchRunsResponse
    {
        public IReadOnlyList<Run> Runs { get; init; } = [];

        public string? NextPageToken { get; init; }
    }

    private sealed record MetricHistoryResponse
    {
        public IReadOnlyList<Metric> Metrics { get; init; } = [];

        public string? NextPageToken { get; init; }
    }
}
