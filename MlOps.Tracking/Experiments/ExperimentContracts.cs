using MlOps.Tracking.Infrastructure;

namespace MlOps.Tracking.Experiments;

public sealed record Experiment(
    string ExperimentId,
    string Name,
    string? ArtifactLocation,
    string LifecycleStage,
    long LastUpdateTime,
    long CreationTime,
    IReadOnlyList<KeyValue> Tags);

public sealed record CreateExperimentRequest(string? Name, string? ArtifactLocation, IReadOnlyList<KeyValue>? Tags);

public sealed record CreateExperimentResponse(string ExperimentId);

public sealed record GetExperimentRequest(string? ExperimentId);

public sealed record GetExperimentByNameRequest(string? ExperimentName);

public sealed record ExperimentResponse(Experiment Experiment);

public sealed record SearchExperimentsRequest(
    int? MaxResults, string? PageToken, string? Filter, IReadOnlyList<string>? OrderBy, string? ViewType);

public sealed record SearchExperimentsResponse(IReadOnlyList<Experiment> Experiments, string? NextPageToken);

public sealed record SetExperimentTagRequest(string? ExperimentId, string? Key, string? Value);

public sealed record UpdateExperimentRequest(string? ExperimentId, string? NewName);
