namespace MlOps.Mlflow;

public sealed partial class MlflowClient
{
    /// <summary>
    /// Creates an experiment (<c>experiments/create</c>). <c>RESOURCE_ALREADY_EXISTS</c> is thrown but, being an
    /// answer rather than a failure, does not mark the call's spans as errors.
    /// </summary>
    /// <param name="name">The unique name.</param>
    /// <param name="tags">Tags to set, if any.</param>
    /// <param name="artifactLocation">Where its artifacts go; the server's default when null.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The new experiment's id.</returns>
    /// <exception cref="MlflowException"><c>RESOURCE_ALREADY_EXISTS</c> when the name is taken.</exception>
    public async Task<string> CreateExperimentAsync(
        string name, IEnumerable<KeyValueTag>? tags = null, string? artifactLocation = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var body = new CreateExperimentRequest(name, artifactLocation, MlflowJson.ListOrNull(tags));
        var response = await PostAsync<CreateExperimentResponse>("experiments/create", body, cancellationToken, ExpectedAnswers.AlreadyExists)
            .ConfigureAwait(false);
        return response.ExperimentId;
    }

    /// <summary>Reads an experiment by id (<c>experiments/get</c>).</summary>
    /// <param name="experimentId">The experiment id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The experiment.</returns>
    /// <exception cref="MlflowException"><c>RESOURCE_DOES_NOT_EXIST</c> when there is none.</exception>
    public async Task<Experiment> GetExperimentAsync(string experimentId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(experimentId);
        var response = await GetAsync<ExperimentResponse>(
            "experiments/get", Query(("experiment_id", experimentId)), cancellationToken).ConfigureAwait(false);
        return response.Experiment;
    }

    /// <summary>
    /// Reads an experiment by name (<c>experiments/get-by-name</c>). <c>RESOURCE_DOES_NOT_EXIST</c> is thrown but does
    /// not mark the call's spans as errors: a look-up by name that finds nothing is an answer.
    /// </summary>
    /// <param name="name">The experiment name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The experiment.</returns>
    /// <exception cref="MlflowException"><c>RESOURCE_DOES_NOT_EXIST</c> when there is none.</exception>
    public async Task<Experiment> GetExperimentByNameAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var response = await GetAsync<ExperimentResponse>(
            "experiments/get-by-name", Query(("experiment_name", name)), cancellationToken, ExpectedAnswers.NotFound).ConfigureAwait(false);
        return response.Experiment;
    }

    /// <summary>Reads the experiment with this name, creating it first when there is none.</summary>
    /// <param name="name">The experiment name.</param>
    /// <param name="tags">Tags to set when it is created.</param>
    /// <param name="cancellationToken">Cancels the calls.</param>
    /// <returns>The experiment.</returns>
    public async Task<Experiment> GetOrCreateExperimentAsync(
        string name, IEnumerable<KeyValueTag>? tags = null, CancellationToken cancellationToken = default)
    {
        try
        {
            return await GetExperimentByNameAsync(name, cancellationToken).ConfigureAwait(false);
        }
        catch (MlflowException e) when (e.IsNotFound)
        {
        }

        try
        {
            var id = await CreateExperimentAsync(name, tags, cancellationToken: cancellationToken).ConfigureAwait(false);
            return await GetExperimentAsync(id, cancellationToken).ConfigureAwait(false);
        }
        catch (MlflowException e) when (e.ErrorCode == KnownMlflowErrorCodes.ResourceAlreadyExists)
        {
            // Another process created it between our read and our create.
            return await GetExperimentByNameAsync(name, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Searches experiments (<c>experiments/search</c>), one page at a time.</summary>
    /// <param name="search">The filter, order and page; all active experiments when null.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>One page of experiments.</returns>
    public async Task<MlflowPage<Experiment>> SearchExperimentsAsync(
        ExperimentSearch? search = null, CancellationToken cancellationToken = default)
    {
        search ??= new ExperimentSearch();
        var body = search with { OrderBy = MlflowJson.ListOrNull(search.OrderBy) };
        var response = await PostAsync<SearchExperimentsResponse>("experiments/search", body, cancellationToken).ConfigureAwait(false);
        return new MlflowPage<Experiment>(response.Experiments, NullIfEmpty(response.NextPageToken));
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private sealed record CreateExperimentRequest(string Name, string? ArtifactLocation, List<KeyValueTag>? Tags);

    private sealed record CreateExperimentResponse(string ExperimentId = "");

    private sealed record ExperimentResponse(Experiment Experiment);

    private sealed record SearchExperimentsResponse
    {
        public IReadOnlyList<Experiment> Experiments { get; init; } = [];

        public string? NextPageToken { get; init; }
    }
}
