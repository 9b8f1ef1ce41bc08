using System.Net;
using Microsoft.Extensions.Options;
using MlOps.Mlflow;
using MlflowResolvedModel = MlOps.Mlflow.ResolvedModel;

namespace MlOps.Serving.Model;

/// <summary>
/// A model from the tracking server: <c>models:/name@alias</c>, <c>models:/name/N</c>, <c>runs:/id/path</c> or
/// <c>mlflow-artifacts:/…</c>, downloaded once into <see cref="ServingOptions.CacheDirectory"/> by
/// <see cref="ModelResolver"/>. Every failure becomes a <see cref="ModelLoadException"/> with a one-line reason;
/// a model, version or alias the registry does not have yet is marked <see cref="ModelLoadException.ModelMissing"/>.
/// </summary>
public sealed class RegistryModelSource(IOptions<ServingOptions> options, IServiceProvider services) : IModelSource
{
    /// <summary>Whether <paramref name="uri"/> is served through the tracking server rather than from a local folder.</summary>
    public static bool IsRegistryUri(string? uri) =>
        ModelUri.TryParse(uri, out var parsed) && parsed!.Kind != ModelUriKind.Local;

    /// <summary>The configured URI, parsed.</summary>
    public ModelUri Uri => ParseConfigured(options.Value.ModelUri);

    public async Task<ResolvedModel> ResolveAsync(CancellationToken cancellationToken)
    {
        var uri = Uri;
        var client = Client(uri);
        MlflowResolvedModel model;
        try
        {
            model = await new ModelResolver(client).ResolveAsync(uri, options.Value.ResolvedCacheDirectory, cancellationToken);
        }
        catch (MlflowException e)
        {
            throw Translate(uri, e);
        }
        catch (Exception e) when (e is InvalidDataException or DirectoryNotFoundException or IOException or UnauthorizedAccessException)
        {
            throw new ModelLoadException($"'{uri}': {e.Message}", e);
        }

        return new ResolvedModel(model.LocalPath, uri.Original, model.Name, model.Version, model.RunId);
    }

    /// <summary>The version the alias points at now: one call to the registry.</summary>
    /// <exception cref="MlflowException">The registry refused or did not answer.</exception>
    public async Task<string> GetAliasVersionAsync(CancellationToken cancellationToken)
    {
        var uri = Uri;
        var aliased = await Client(uri).GetModelVersionByAliasAsync(uri.Name!, uri.Alias!, cancellationToken);
        return aliased.Version;
    }

    /// <summary>Whether an error means the tracking server could not be reached (rather than a refusal).</summary>
    public static bool IsUnreachable(MlflowException e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return e.HttpStatus is null or >= HttpStatusCode.InternalServerError
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
            return services.GetRequiredService<MlflowClient>();
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
        return new ModelLoadException(reason, e) { ModelMissing = missing };
    }
}
