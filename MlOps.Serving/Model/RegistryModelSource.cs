using System.Globalization;
using System.Net;
using Microsoft.Extensions.Options;
using MlOps.Mlflow;

namespace MlOps.Serving.Model;

/// <summary>
/// A model from the tracking server: <c>models:/name@alias</c>, <c>models:/name/N</c>, <c>runs:/id/path</c> or
/// <c>mlflow-artifacts:/…</c>, downloaded once into <see cref="ServingOptions.CacheDirectory"/> by
/// <see cref="ModelResolver"/>. The registry's answers are checked before serving acts on them (an alias naming no
/// version, a version without a number, artifacts somewhere serving cannot download from), every call is bounded by
/// <see cref="ServingOptions.RegistryTimeout"/> (a whole load by <see cref="ServingOptions.LoadTimeout"/>), and every
/// failure becomes a <see cref="ModelLoadException"/> with a one-line reason; a model, version or alias the registry
/// does not have yet is marked <see cref="ModelLoadException.ModelMissing"/>.
/// </summary>
public sealed class RegistryModelSource : IModelSource
{
    private readonly IOptions<ServingOptions> _options;
    private readonly IServiceProvider _services;
    private readonly Func<string?> _uri;

    /// <summary>The source of the configured <c>MODEL_URI</c>.</summary>
    public RegistryModelSource(IOptions<ServingOptions> options, IServiceProvider services)
        : this(options, services, () => options.Value.ModelUri)
    {
    }

    internal RegistryModelSource(IOptions<ServingOptions> options, IServiceProvider services, Func<string?> uri)
    {
        _options = options;
        _services = services;
        _uri = uri;
    }

    /// <summary>Whether <paramref name="uri"/> is served through the tracking server rather than from a local folder.</summary>
    public static bool IsRegistryUri(string? uri) =>
        ModelUri.TryParse(uri, out var parsed) && parsed!.Kind != ModelUriKind.Local;

    /// <summary>The URI this source resolves, parsed.</summary>
    public ModelUri Uri => ParseConfigured(_uri());

    public async Task<ResolvedModel> ResolveAsync(CancellationToken cancellationToken)
    {
        var uri = Uri;
        var client = Client(uri);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.Value.LoadTimeout);
        try
        {
            // An alias is read (and checked) once, then the version it named is what gets downloaded and reported.
            var target = uri;
            string? runId = null;
            if (uri is { Kind: ModelUriKind.Registry, Alias: not null })
            {
                var aliased = await GetAliasedAsync(client, uri, timeout.Token);
                target = ModelUri.Parse($"models:/{uri.Name}/{aliased.Version}");
                runId = string.IsNullOrEmpty(aliased.RunId) ? null : aliased.RunId;
            }

            if (target is { Kind: ModelUriKind.Registry, Version: not null })
            {
                try
                {
                    await CheckSourceAsync(client, target, timeout.Token);
                }
                catch (Exception e) when ((e is MlflowException m && IsUnreachable(m))
                    || (e is OperationCanceledException && !timeout.IsCancellationRequested))
                {
                    // No answer (or none in Model:RegistryTimeout): the resolver decides, and a pinned version cached
                    // from this server, intact by its checksums, loads without the registry.
                }
            }

            var model = await new ModelResolver(client).ResolveAsync(target, _options.Value.ResolvedCacheDirectory, timeout.Token);
            return new ResolvedModel(model.LocalPath, uri.Original, model.Name, model.Version, runId ?? model.RunId);
        }
        catch (MlflowException e)
        {
            throw Translate(uri, e);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ModelLoadException(
                $"'{uri}': the tracking server did not answer in time (Model:RegistryTimeout {_options.Value.RegistryTimeout.TotalSeconds:0.#} s per call, " +
                $"Model:LoadTimeout {_options.Value.LoadTimeout.TotalSeconds:0.#} s in all).", e);
        }
    }

    /// <summary>The version the alias points at now: one call to the registry, checked to be a version number.</summary>
    /// <exception cref="MlflowException">The registry refused or did not answer.</exception>
    /// <exception cref="ModelLoadException">The registry's answer names no usable version, or it did not answer in time.</exception>
    public async Task<string> GetAliasVersionAsync(CancellationToken cancellationToken)
    {
        var uri = Uri;
        try
        {
            return (await GetAliasedAsync(Client(uri), uri, cancellationToken)).Version;
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new MlflowException(KnownMlflowErrorCodes.TemporarilyUnavailable, null,
                $"the tracking server did not answer within {_options.Value.RegistryTimeout.TotalSeconds:0.#} s (Model:RegistryTimeout)", e);
        }
    }

    private async Task<ModelVersion> GetAliasedAsync(MlflowClient client, ModelUri uri, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.Value.RegistryTimeout);
        var aliased = await client.GetModelVersionByAliasAsync(uri.Name!, uri.Alias!, timeout.Token);
        // The client deserialises what it is given: {} or {"model_version": null} arrive as null, a version without
        // a number as an empty string. None of them is a version to load.
        var version = aliased?.Version;
        if (!IsVersionNumber(version))
        {
            throw new ModelLoadException(aliased is null
                ? $"The registry answered no model version for '{uri}'."
                : $"The registry answered version '{Reasons.Clean(version ?? "null")}' for '{uri}', which is not a version number.");
        }

        return aliased!;
    }

    // Only artifacts the tracking server proxies can be downloaded; a source elsewhere (s3://, a path climbing out of
    // the artifact root) is refused here with a reason rather than handed to the download.
    private async Task CheckSourceAsync(MlflowClient client, ModelUri target, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.Value.RegistryTimeout);
        var source = await client.GetModelVersionDownloadUriAsync(target.Name!, target.Version!, timeout.Token);
        if (ArtifactSources.Problem(source) is { } problem)
        {
            throw new ModelLoadException($"'{target}': {problem}");
        }
    }

    internal static bool IsVersionNumber(string? version) =>
        !string.IsNullOrEmpty(version) && version.Length <= 18 && version[0] != '0'
        && long.TryParse(version, NumberStyles.None, CultureInfo.InvariantCulture, out _);

    /// <summary>Whether an error means the tracking server could not be reached (rather than a refusal).</summary>
    public static bool IsUnreachable(MlflowException e)
    {
        ArgumentNullException.ThrowIfNull(e);
        // The client reports every transport failure (refused, timed out, circuit open) as TEMPORARILY_UNAVAILABLE
        // without a status; other status-less errors (an unsupported artifact scheme) are refusals, not outages.
        return e.HttpStatus is >= HttpStatusCode.InternalServerError
            || e.ErrorCode == KnownMlflowErrorCodes.TemporarilyUnavailable;
    }

    private static ModelUri ParseConfigured(string? value)
    {
        try
        {
            return ModelUri.Parse(value ?? throw new ModelLoadException(
                $"No model URI is configured: set {ServingOptions.ModelUriVariable} or Model:Uri."));
        }
        catch (FormatException e)
        {
            throw new ModelLoadException(e.Message, e);
        }
    }

    // Typed HTTP clients are transient: resolved per call so the handler factory can rotate connections.
    private MlflowClient Client(ModelUri uri)
    {
        try
        {
            return _services.GetRequiredService<MlflowClient>();
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException)
        {
            throw new ModelLoadException(
                $"'{uri}' is served through a tracking server, but none is configured: set {KnownMlflowEnvironment.TrackingUri} ({e.Message})", e);
        }
    }

    // MLflow answers a missing registered model or version with RESOURCE_DOES_NOT_EXIST and an unknown alias with
    // INVALID_PARAMETER_VALUE: both mean "not yet" for a server waiting for its first version.
    private static ModelLoadException Translate(ModelUri uri, MlflowException e)
    {
        var missing = uri.Kind == ModelUriKind.Registry
            && (e.ErrorCode == KnownMlflowErrorCodes.ResourceDoesNotExist
                || (uri.Alias is not null && e.ErrorCode == KnownMlflowErrorCodes.InvalidParameterValue));
        var reason = missing
            ? $"The registry has no '{uri}' yet: {e.Message}"
            : IsUnreachable(e) ? $"The tracking server is unreachable for '{uri}': {e.Message}" : $"'{uri}': {e.Message}";
        return new ModelLoadException(Reasons.Clean(reason), e) { ModelMissing = missing };
    }
}
