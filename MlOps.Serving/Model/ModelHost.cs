using System.Diagnostics;
using Microsoft.Extensions.Options;
using MlOps.Serving.Telemetry;

namespace MlOps.Serving.Model;

public enum ModelState
{
    Loading,
    Unavailable,

    /// <summary>The registry has no such model, version or alias yet; serving keeps looking.</summary>
    NoModel,
    Healthy,
}

/// <summary>Which model a host holds: the one that answers, or the challenger scored in its shadow.</summary>
public enum ModelRole
{
    Production,
    Challenger,
}

/// <summary>
/// An immutable snapshot of the serving state, replaced as a whole. <see cref="LoadError"/> says why the last attempt
/// to load a (new) model failed while <see cref="Model"/> keeps serving; it is cleared by the next successful load.
/// </summary>
public sealed record ModelStatus(ModelState State, string? Reason, ModelInfo? Model, string? LoadError = null, DateTimeOffset? LoadErrorAt = null);

/// <summary>The outcome of a reload: the new model, or why the current one stays.</summary>
public sealed record ReloadOutcome(bool Succeeded, ModelInfo? Model, ModelInfo? Previous, string? Reason);

/// <summary>
/// Holds the model that serves now. Loads are serialised (the background loader and reloads share one gate); a new
/// model is loaded and warmed beside the current one and swapped in with one reference write; the old one is retired
/// and its session disposed once the requests holding it finish. Whatever a load throws (a registry answering
/// nonsense, a hung server, a broken file) becomes a failed outcome with a one-line reason: the current model stays.
/// </summary>
public sealed partial class ModelHost(
    IModelSource source,
    IOptions<ServingOptions> options,
    ServingTelemetry telemetry,
    TimeProvider time,
    ILogger<ModelHost> logger,
    ModelRole role = ModelRole.Production) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile LoadedModel? _current;
    private volatile ModelStatus _status = new(ModelState.Loading, null, null);
    private volatile bool _registryUnreachable;

    public ModelRole Role => role;

    public ModelStatus Status => _status;

    /// <summary>Whether the last alias poll could not reach the tracking server (the current model keeps serving).</summary>
    public bool RegistryUnreachable
    {
        get => _registryUnreachable;
        internal set => _registryUnreachable = value;
    }

    public bool HasModel => _current is not null;

    /// <summary>Takes a hold on the current model for one request; false while none is loaded.</summary>
    public bool TryAcquire(out ModelLease lease)
    {
        while (_current is { } model)
        {
            if (model.TryAddRef())
            {
                lease = new ModelLease(model);
                return true;
            }

            // Retired between the read and the hold: the field already points at its successor.
        }

        lease = default;
        return false;
    }

    public async Task<ReloadOutcome> ReloadAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            return await LoadAndSwapAsync(cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The background loader's attempt: does nothing once a model is there (a reload got there first).</summary>
    internal async Task<ReloadOutcome?> TryInitialLoadAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            return _current is null ? await LoadAndSwapAsync(cancellationToken) : null;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Records why a (new) model could not be had without trying to load one, e.g. a registry answering nonsense.</summary>
    internal void ReportLoadError(string reason)
    {
        var status = _status;
        _status = status.Model is null
            ? new ModelStatus(ModelState.Unavailable, reason, null)
            : status with { LoadError = reason, LoadErrorAt = time.GetUtcNow() };
    }

    /// <summary>Drops the model (a challenger whose alias is gone); requests holding it finish first.</summary>
    internal void Unload(string reason)
    {
        var previous = _current;
        _current = null;
        _status = new ModelStatus(ModelState.NoModel, reason, null);
        previous?.Retire();
        if (role == ModelRole.Challenger)
        {
            telemetry.ChallengerUnloaded();
        }
    }

    private async Task<ReloadOutcome> LoadAndSwapAsync(CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var previous = _current;
        LoadedModel next;
        try
        {
            var resolved = await source.ResolveAsync(cancellationToken);
            var warmup = options.Value.WarmupRuns;
            next = await Task.Run(() => ModelLoader.Load(ReadFolder(resolved), warmup, time), cancellationToken);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            // Anything: a registry answer the client could not make sense of must not take the server down.
            var reason = Reasons.Of(e);
            telemetry.ModelLoadFailed(role, Stopwatch.GetElapsedTime(started));
            LogLoadFailed(role, reason);
            if (previous is null)
            {
                var state = e is ModelLoadException { ModelMissing: true } ? ModelState.NoModel : ModelState.Unavailable;
                _status = new ModelStatus(state, reason, null);
            }
            else
            {
                _status = _status with { LoadError = reason, LoadErrorAt = time.GetUtcNow() };
            }

            return new ReloadOutcome(false, previous?.Info, previous?.Info, reason);
        }

        _current = next;
        _status = new ModelStatus(ModelState.Healthy, null, next.Info);
        previous?.Retire();
        var elapsed = Stopwatch.GetElapsedTime(started);
        telemetry.ModelLoaded(role, next.Info, elapsed);
        LogLoaded(role, next.Info.Name, next.Info.Version, elapsed.TotalMilliseconds, previous?.Info.Version ?? "none");
        return new ReloadOutcome(true, next.Info, previous?.Info, null);
    }

    // The registry's name, version and run id win over the card's: they are what operators promote and roll back.
    private static ModelFolder ReadFolder(ResolvedModel resolved)
    {
        var folder = ModelFolder.Read(resolved.Directory);
        return folder with
        {
            Name = resolved.Name ?? folder.Name,
            Version = resolved.Version ?? folder.Version,
            RunId = resolved.RunId ?? folder.RunId,
        };
    }

    public void Dispose()
    {
        var model = _current;
        _current = null;
        model?.Retire();
        _gate.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Role} model load failed: {Reason}")]
    private partial void LogLoadFailed(ModelRole role, string reason);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "{Role} model {Name} version {Version} loaded and warmed in {Milliseconds:F0} ms (replacing version {Previous})")]
    private partial void LogLoaded(ModelRole role, string name, string version, double milliseconds, string previous);
}
