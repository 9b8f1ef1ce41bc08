using Microsoft.Extensions.Configuration;

namespace MlOps.AppHost;

/// <summary>The AppHost's settings (appsettings.json, environment, or <c>--Key=Value</c>).</summary>
internal sealed class AppHostSettings(IConfiguration configuration, string appHostDirectory)
{
    public const string MlflowPortKey = "Ports:mlflow";
    public const string ServingPortKey = "Ports:serving";

    public int MlflowPort { get; } = configuration.GetValue(MlflowPortKey, 5000);

    public int ServingPort { get; } = configuration.GetValue(ServingPortKey, 8000);

    /// <summary>State kept between runs in local mode: PostgreSQL's cluster, artifacts, the training data, the model cache.</summary>
    public string DataDirectory { get; } = Path.GetFullPath(configuration["AppHost:DataDirectory"] ?? ".mlops", appHostDirectory);

    /// <summary>Prefix of the named volumes (container mode), so two AppHosts on one engine keep separate data.</summary>
    public string VolumePrefix { get; } = configuration["AppHost:Name"] ?? "mlops";

    /// <summary><c>mlflow</c>: the MLflow image; <c>tracking</c>: our tracking server's image (same REST API).</summary>
    public string MlflowServer { get; } = configuration["Mlflow:Server"] ?? "mlflow";

    public string? PostgresBinDirectory { get; } = configuration["AppHost:PostgresBinDirectory"];

    public string ModelUri { get; } = configuration["Serving:ModelUri"] ?? "models:/fraud-detector@production";

    /// <summary>How often serving checks the alias while developing (its own default is 30 s).</summary>
    public string PollInterval { get; } = configuration["Serving:PollInterval"] ?? "00:00:05";

    public ImageSettings Images { get; } = new(configuration);

    /// <summary>BuildKit secrets for the image builds (<c>AppHost:BuildSecrets:ca-certificates=/path</c>): id → file.</summary>
    public IReadOnlyDictionary<string, string> BuildSecrets { get; } = configuration.GetSection("AppHost:BuildSecrets").GetChildren()
        .Where(s => !string.IsNullOrWhiteSpace(s.Value)).ToDictionary(s => s.Key, s => s.Value!);

    public string HostPath(string name) => Path.Combine(DataDirectory, name);
}
