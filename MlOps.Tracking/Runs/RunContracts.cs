using MlOps.Tracking.Infrastructure;

namespace MlOps.Tracking.Runs;

public sealed record RunInfo(
    string RunUuid,
    string ExperimentId,
    string RunName,
    string? UserId,
    string Status,
    long StartTime,
    long? EndTime,
    string ArtifactUri,
    string LifecycleStage,
    string RunId);

/// <summary>A metric point; in requests every field may be missing, in responses all are set.</summary>
public sealed record Metric(string? Key, double? Value, long? Timestamp, long? Step);

public sealed record RunData(IReadOnlyList<Metric> Metrics, IReadOnlyList<KeyValue> Params, IReadOnlyList<KeyValue> Tags);

public sealed record Dataset(string? Name, string? Digest, string? SourceType, string? Source, string? Schema, string? Profile);

public sealed record DatasetInput(IReadOnlyList<KeyValue>? Tags, Dataset? Dataset);

public sealed record RunInputs(IReadOnlyList<DatasetInput> DatasetInputs);

public sealed record Run(RunInfo Info, RunData Data, RunInputs? Inputs);

public sealed record RunResponse(Run Run);

public sealed record CreateRunRequest(string? ExperimentId, string? UserId, long? StartTime, IReadOnlyList<KeyValue>? Tags, string? RunName);

public sealed record RunIdRequest(string? RunId, string? RunUuid)
{
    public string Id => Require.NotEmpty(RunId ?? RunUuid, "run_id");
}

public sealed record UpdateRunRequest(string? RunId, string? RunUuid, string? Status, long? EndTime, string? RunName);

public sealed record UpdateRunResponse(RunInfo RunInfo);

public sealed record SearchRunsRequest(
    IReadOnlyList<string>? ExperimentIds, string? Filter, string? RunViewType, int? MaxResults, IReadOnlyList<string>? OrderBy, string? PageToken);

public sealed record SearchRunsResponse(IReadOnlyList<Run> Runs, string? NextPageToken);

public sealed record LogBatchRequest(string? RunId, IReadOnlyList<Metric>? Metrics, IReadOnlyList<KeyValue>? Params, IReadOnlyList<KeyValue>? Tags);

public sealed record LogMetricRequest(string? RunId, string? RunUuid, string? Key, double? Value, long? Timestamp, long? Step);

public sealed record LogParamRequest(string? RunId, string? RunUuid, string? Key, string? Value);

public sealed record LogInputsRequest(string? RunId, IReadOnlyList<DatasetInput>? Datasets);

public sealed record MetricHistoryRequest(string? RunId, string? RunUuid, string? MetricKey, int? MaxResults, string? PageToken);

public sealed record MetricHistoryResponse(IReadOnlyList<Metric> Metrics, string? NextPageToken);

public sealed record DeleteTagRequest(string? RunId, string? Key);
