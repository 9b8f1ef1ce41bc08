using MlOps.Tracking.Infrastructure;

namespace MlOps.Tracking.Registry;

public sealed record ModelVersion(
    string Name,
    string Version,
    long CreationTimestamp,
    long LastUpdatedTimestamp,
    string CurrentStage,
    string Description,
    string Source,
    string RunId,
    string Status,
    IReadOnlyList<KeyValue> Tags,
    string RunLink,
    IReadOnlyList<string> Aliases);

public sealed record ModelAlias(string Alias, string Version);

public sealed record RegisteredModel(
    string Name,
    long CreationTimestamp,
    long LastUpdatedTimestamp,
    string Description,
    IReadOnlyList<ModelVersion> LatestVersions,
    IReadOnlyList<KeyValue> Tags,
    IReadOnlyList<ModelAlias> Aliases);

public sealed record CreateRegisteredModelRequest(string? Name, string? Description, IReadOnlyList<KeyValue>? Tags);

public sealed record NameRequest(string? Name);

public sealed record RegisteredModelResponse(RegisteredModel RegisteredModel);

public sealed record SearchRequest(string? Filter, int? MaxResults, IReadOnlyList<string>? OrderBy, string? PageToken);

public sealed record SearchRegisteredModelsResponse(IReadOnlyList<RegisteredModel> RegisteredModels, string? NextPageToken);

public sealed record LatestVersionsRequest(string? Name, IReadOnlyList<string>? Stages);

public sealed record ModelVersionsResponse(IReadOnlyList<ModelVersion> ModelVersions);

public sealed record SearchModelVersionsResponse(IReadOnlyList<ModelVersion> ModelVersions, string? NextPageToken);

public sealed record CreateModelVersionRequest(
    string? Name, string? Source, string? RunId, IReadOnlyList<KeyValue>? Tags, string? RunLink, string? Description);

public sealed record ModelVersionRequest(string? Name, string? Version);

public sealed record ModelVersionResponse(ModelVersion ModelVersion);

public sealed record ModelVersionTagRequest(string? Name, string? Version, string? Key, string? Value);

public sealed record DownloadUriResponse(string ArtifactUri);

public sealed record AliasRequest(string? Name, string? Alias, string? Version);

public sealed record ModelTagRequest(string? Name, string? Key, string? Value);

public sealed record UpdateRegisteredModelRequest(string? Name, string? Description);

public sealed record UpdateModelVersionRequest(string? Name, string? Version, string? Description);

public sealed record TransitionStageRequest(string? Name, string? Version, string? Stage, bool? ArchiveExistingVersions);
