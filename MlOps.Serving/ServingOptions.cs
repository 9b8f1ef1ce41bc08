namespace MlOps.Serving;

/// <summary>
/// Every setting of the serving API in one place. Configuration keys: <c>MODEL_URI</c> or <c>Model:Uri</c>,
/// <c>Model:CacheDirectory</c>, <c>Model:PollInterval</c>, <c>Model:RetryInitialDelay</c>, <c>Model:RetryMaxDelay</c>,
/// <c>Model:RegistryTimeout</c>, <c>Model:LoadTimeout</c>, <c>Model:WarmupRuns</c>, <c>Serving:MaxBatchRows</c>,
/// <c>Serving:MaxBodyBytes</c>, <c>Admin:ApiKey</c>. Monitoring has its own: <see cref="Monitoring.MonitoringOptions"/>.
/// </summary>
public sealed class ServingOptions
{
    public const string ModelUriVariable = "MODEL_URI";

    /// <summary>The model served when neither <c>MODEL_URI</c> nor <c>Model:Uri</c> is set.</summary>
    public const string DefaultModelUri = "models:/fraud-detector@production";

    /// <summary>
    /// Where the model comes from: <c>models:/name@alias</c>, <c>models:/name/N</c>, <c>runs:/id/path</c> or
    /// <c>mlflow-artifacts:/…</c> through the tracking server, or a folder path or <c>file://</c> URI.
    /// </summary>
    public string? ModelUri { get; set; } = DefaultModelUri;

    /// <summary>Where models downloaded from the tracking server are kept; a temp folder when not set.</summary>
    public string? CacheDirectory { get; set; }

    /// <summary>How often a <c>models:/name@alias</c> URI's alias is checked for a new version.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The first wait before a failed load is tried again; it doubles up to <see cref="RetryMaxDelay"/>.</summary>
    public TimeSpan RetryInitialDelay { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest one registry call (an alias poll, a version lookup) may take before it counts as unreachable.</summary>
    public TimeSpan RegistryTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The longest a whole load (resolve and download) may take before it is given up and retried.</summary>
    public TimeSpan LoadTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How many times a new session scores a row before it takes traffic.</summary>
    public int WarmupRuns { get; set; } = 5;

    /// <summary>The most rows one request may carry (batch and <c>/invocations</c>).</summary>
    public int MaxBatchRows { get; set; } = 10_000;

    /// <summary>The largest request body read; a larger one is refused before it is parsed.</summary>
    public long MaxBodyBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>The key <c>POST /admin/reload</c> wants in <c>X-Api-Key</c>; without one the admin endpoints are off.</summary>
    public string? AdminApiKey { get; set; }

    public static void Bind(ServingOptions options, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(configuration);
        options.ModelUri = NonEmpty(configuration["Model:Uri"]) ?? NonEmpty(configuration[ModelUriVariable]) ?? options.ModelUri;
        options.AdminApiKey = NonEmpty(configuration["Admin:ApiKey"]) ?? options.AdminApiKey;
        options.CacheDirectory = NonEmpty(configuration["Model:CacheDirectory"]) ?? options.CacheDirectory;
        options.PollInterval = configuration.GetValue("Model:PollInterval", options.PollInterval);
        options.RetryInitialDelay = configuration.GetValue("Model:RetryInitialDelay", options.RetryInitialDelay);
        options.RetryMaxDelay = configuration.GetValue("Model:RetryMaxDelay", options.RetryMaxDelay);
        options.RegistryTimeout = configuration.GetValue("Model:RegistryTimeout", options.RegistryTimeout);
        options.LoadTimeout = configuration.GetValue("Model:LoadTimeout", options.LoadTimeout);
        options.WarmupRuns = configuration.GetValue("Model:WarmupRuns", options.WarmupRuns);
        options.MaxBatchRows = configuration.GetValue("Serving:MaxBatchRows", options.MaxBatchRows);
        options.MaxBodyBytes = configuration.GetValue("Serving:MaxBodyBytes", options.MaxBodyBytes);
    }

    /// <summary>The cache folder for downloaded models: <see cref="CacheDirectory"/>, else one under the temp folder.</summary>
    public string ResolvedCacheDirectory =>
        CacheDirectory ?? Path.Combine(Path.GetTempPath(), "mlops-serving", "models");

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
