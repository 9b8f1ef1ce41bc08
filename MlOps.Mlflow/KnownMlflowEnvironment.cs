namespace MlOps.Mlflow;

/// <summary>The environment variables MLflow's own clients read, with the same names and meanings.</summary>
public static class KnownMlflowEnvironment
{
    /// <summary>The tracking server's base URL (<c>http</c> or <c>https</c>).</summary>
    public const string TrackingUri = "MLFLOW_TRACKING_URI";

    /// <summary>A token sent as <c>Authorization: Bearer …</c>.</summary>
    public const string TrackingToken = "MLFLOW_TRACKING_TOKEN";

    /// <summary>The user name for HTTP Basic authentication.</summary>
    public const string TrackingUsername = "MLFLOW_TRACKING_USERNAME";

    /// <summary>The password for HTTP Basic authentication.</summary>
    public const string TrackingPassword = "MLFLOW_TRACKING_PASSWORD";
}
