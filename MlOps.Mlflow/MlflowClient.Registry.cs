namespace MlOps.Mlflow;

public sealed partial class MlflowClient
{
    /// <summary>Creates a registered model (<c>registered-models/create</c>).</summary>
    /// <param name="name">The unique model name.</param>
    /// <param name="description">A description, if any.</param>
    /// <param name="tags">Tags, if any.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The registered model.</returns>
    /// <exception cref="MlflowException">
    /// <c>RESOURCE_ALREADY_EXISTS</c> when the name is taken (an answer for create-if-missing callers: the spans stay unmarked).
    /// </exception>
    public async Task<RegisteredModel> CreateRegisteredModelAsync(
        string name, string? description = null, IEnumerable<KeyValueTag>? tags = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var body = new CreateRegisteredModelRequest(name, description, MlflowJson.ListOrNull(tags));
        var response = await PostAsync<RegisteredModelResponse>("registered-models/create", body, cancellationToken, ExpectedAnswers.AlreadyExists)
            .ConfigureAwait(false);
        return response.RegisteredModel;
    }

    /// <summary>Reads a registered model (<c>registered-models/get</c>) with its aliases and latest versions.</summary>
    /// <param name="name">The model name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The registered model.</returns>
    /// <exception cref="MlflowException"><c>RESOURCE_DOES_NOT_EXIST</c> when there is none.</exception>
    public async Task<RegisteredModel> GetRegisteredModelAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var response = await GetAsync<RegisteredModelResponse>(
            "registered-models/get", Query(("name", name)), cancellationToken, ExpectedAnswers.NotFound).ConfigureAwait(false);
        return response.RegisteredModel;
    }

    /// <summary>Searches registered models (<c>registered-models/search</c>), one page at a time.</summary>
    /// <param name="search">The filter, order and page; all models when null.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>One page of registered models.</returns>
    public async Task<MlflowPage<RegisteredModel>> SearchRegisteredModelsAsync(
        RegistrySearch? search = null, CancellationToken cancellationToken = default)
    {
        var response = await GetAsync<SearchRegisteredModelsResponse>(
            "registered-models/search", RegistryQuery(search), cancellationToken).ConfigureAwait(false);
        return new MlflowPage<RegisteredModel>(response.RegisteredModels, NullIfEmpty(response.NextPageToken));
    }

    /// <summary>Registers a new version of a model (<c>model-versions/create</c>).</summary>
    /// <param name="name">The registered model's name.</param>
    /// <param name="source">Where the model's files are, e.g. the run's <c>mlflow-artifacts:/…/artifacts/model</c>.</param>
    /// <param name="runId">The run that produced it, if any.</param>
    /// <param name="description">A description, if any.</param>
    /// <param name="tags">Tags, if any.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The new version.</returns>
    public async Task<ModelVersion> CreateModelVersionAsync(
        string name,
        string source,
        string? runId = null,
        string? description = null,
        IEnumerable<KeyValueTag>? tags = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentException.ThrowIfNullOrEmpty(source);
        var body = new CreateModelVersionRequest(name, source, runId, description, MlflowJson.ListOrNull(tags));
        var response = await PostAsync<ModelVersionResponse>("model-versions/create", body, cancellationToken).ConfigureAwait(false);
        return response.ModelVersion;
    }

    /// <summary>Reads a model version (<c>model-versions/get</c>).</summary>
    /// <param name="name">The registered model's name.</param>
    /// <param name="version">The version number.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The version.</returns>
    /// <exception cref="MlflowException"><c>RESOURCE_DOES_NOT_EXIST</c> when there is none.</exception>
    public async Task<ModelVersion> GetModelVersionAsync(string name, string version, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentException.ThrowIfNullOrEmpty(version);
        var response = await GetAsync<ModelVersionResponse>(
            "model-versions/get", Query(("name", name), ("version", version)), cancellationToken).ConfigureAwait(false);
        return response.ModelVersion;
    }

    /// <summary>Searches model versions (<c>model-versions/search</c>), one page at a time.</summary>
    /// <param name="search">The filter (e.g. <c>name = 'fraud-detector'</c>), order and page.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>One page of versions.</returns>
    public async Task<MlflowPage<ModelVersion>> SearchModelVersionsAsync(
        RegistrySearch? search = null, CancellationToken cancellationToken = default)
    {
        var response = await GetAsync<SearchModelVersionsResponse>(
            "model-versions/search", RegistryQuery(search), cancellationToken).ConfigureAwait(false);
        return new MlflowPage<ModelVersion>(response.ModelVersions, NullIfEmpty(response.NextPageToken));
    }

    /// <summary>Sets a tag on a model version (<c>model-versions/set-tag</c>).</summary>
    /// <param name="name">The registered model's name.</param>
    /// <param name="version">The version number.</param>
    /// <param name="key">The tag key.</param>
    /// <param name="value">The tag value.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when it is set.</returns>
    public async Task SetModelVersionTagAsync(
        string name, string version, string key, string value, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentException.ThrowIfNullOrEmpty(version);
        var body = new ModelVersionTagRequest(name, version, key, value);
        await PostAsync<Empty>("model-versions/set-tag", body, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Asks where a version's files can be downloaded (<c>model-versions/get-download-uri</c>).</summary>
    /// <param name="name">The registered model's name.</param>
    /// <param name="version">The version number.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>
    /// The version's source as registered: <c>mlflow-artifacts:/1/&lt;run&gt;/artifacts/model</c>, or
    /// <c>runs:/&lt;run&gt;/model</c> unchanged (MLflow does not resolve it; <see cref="ResolveArtifactUriAsync"/> does).
    /// </returns>
    public async Task<string> GetModelVersionDownloadUriAsync(string name, string version, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentException.ThrowIfNullOrEmpty(version);
        var response = await GetAsync<DownloadUriResponse>(
            "model-versions/get-download-uri", Query(("name", name), ("version", version)), cancellationToken).ConfigureAwait(false);
        return response.ArtifactUri;
    }

    /// <summary>Reads the latest version per stage (<c>registered-models/get-latest-versions</c>).</summary>
    /// <param name="name">The registered model's name.</param>
    /// <param name="stages">The stages to include; all when null.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The latest version of each stage (not the aliased ones).</returns>
    public async Task<IReadOnlyList<ModelVersion>> GetLatestVersionsAsync(
        string name, IEnumerable<string>? stages = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var body = new LatestVersionsRequest(name, MlflowJson.ListOrNull(stages));
        var response = await PostAsync<SearchModelVersionsResponse>(
            "registered-models/get-latest-versions", body, cancellationToken).ConfigureAwait(false);
        return response.ModelVersions;
    }

    /// <summary>Points an alias at a version (<c>POST registered-models/alias</c>), moving it if it exists.</summary>
    /// <param name="name">The registered model's name.</param>
    /// <param name="alias">The alias, e.g. <c>production</c>.</param>
    /// <param name="version">The version number.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when it is set.</returns>
    public async Task SetRegisteredModelAliasAsync(
        string name, string alias, string version, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentException.ThrowIfNullOrEmpty(alias);
        ArgumentException.ThrowIfNullOrEmpty(version);
        await PostAsync<Empty>("registered-models/alias", new AliasRequest(name, alias, version), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads the version an alias points to (<c>GET registered-models/alias</c>).</summary>
    /// <param name="name">The registered model's name.</param>
    /// <param name="alias">The alias.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The version.</returns>
    /// <exception cref="MlflowException">
    /// <c>INVALID_PARAMETER_VALUE</c> (HTTP 400) for an unknown alias, <c>RESOURCE_DOES_NOT_EXIST</c> for an unknown
    /// model: answers, not failures, so the spans stay unmarked.
    /// </exception>
    public async Task<ModelVersion> GetModelVersionByAliasAsync(string name, string alias, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentException.ThrowIfNullOrEmpty(alias);
        var response = await GetAsync<ModelVersionResponse>(
            "registered-models/alias", Query(("name", name), ("alias", alias)), cancellationToken, ExpectedAnswers.UnknownAlias).ConfigureAwait(false);
        return response.ModelVersion;
    }

    /// <summary>Removes an alias (<c>DELETE registered-models/alias</c>).</summary>
    /// <param name="name">The registered model's name.</param>
    /// <param name="alias">The alias.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when it is removed.</returns>
    public async Task DeleteRegisteredModelAliasAsync(string name, string alias, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentException.ThrowIfNullOrEmpty(alias);
        // MLflow's clients send DELETE with a JSON body, and MLflow's server reads it there.
        await SendJsonAsync<Empty>("registered-models/alias", HttpMethod.Delete, ApiPrefix + "registered-models/alias",
            new DeleteAliasRequest(name, alias), cancellationToken).ConfigureAwait(false);
    }

    private static string RegistryQuery(RegistrySearch? search)
    {
        var pairs = new List<(string, string?)>
        {
            ("filter", search?.Filter),
            ("max_results", search?.MaxResults?.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        };
        pairs.AddRange((search?.OrderBy ?? []).Select(o => ("order_by", (string?)o)));
        pairs.Add(("page_token", search?.PageToken));
        return Query([.. pairs]);
    }

    private sealed record CreateRegisteredModelRequest(string Name, string? Description, List<KeyValueTag>? Tags);

    private sealed record RegisteredModelResponse(RegisteredModel RegisteredModel);

    private sealed record CreateModelVersionRequest(string Name, string Source, string? RunId, string? Description, List<KeyValueTag>? Tags);

    private sealed record ModelVersionResponse(ModelVersion ModelVersion);

    private sealed record ModelVersionTagRequest(string Name, string Version, string Key, string Value);

    private sealed record DownloadUriResponse(string ArtifactUri = "");

    private sealed record LatestVersionsRequest(string Name, List<string>? Stages);

    private sealed record AliasRequest(string Name, string Alias, string Version);

    private sealed record DeleteAliasRequest(string Name, string Alias);

    private sealed record SearchRegisteredModelsResponse
    {
        public IReadOnlyList<RegisteredModel> RegisteredModels { get; init; } = [];

        public string? NextPageToken { get; init; }
    }

    private sealed record SearchModelVersionsResponse
    {
        public IReadOnlyList<ModelVersion> ModelVersions { get; init; } = [];

        public string? NextPageToken { get; init; }
    }
}
