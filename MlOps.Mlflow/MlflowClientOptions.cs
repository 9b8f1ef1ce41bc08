namespace MlOps.Mlflow;

/// <summary>
/// Where the tracking server is and how to authenticate, read from MLflow's own environment variables
/// (<see cref="KnownMlflowEnvironment"/>). <see cref="ToString"/> never shows the secrets.
/// </summary>
public sealed class MlflowClientOptions
{
    /// <summary>The default of <see cref="MaxResponseBytes"/>: 64 MiB.</summary>
    public const long DefaultMaxResponseBytes = 64L * 1024 * 1024;

    /// <summary>
    /// The tracking server's base URL (<c>MLFLOW_TRACKING_URI</c>); http or https. Credentials in its user-info part
    /// (<c>http://user:secret@host</c>) are moved to <see cref="Username"/> and <see cref="Password"/> when read from
    /// the environment, so this URI is safe to print.
    /// </summary>
    public Uri? TrackingUri { get; set; }

    /// <summary>
    /// The largest JSON answer the client reads (artifact downloads stream to disk and are not limited); a larger one
    /// fails with an <see cref="MlflowException"/> before it is read whole into memory.
    /// </summary>
    public long MaxResponseBytes { get; set; } = DefaultMaxResponseBytes;

    /// <summary>A bearer token (<c>MLFLOW_TRACKING_TOKEN</c>); wins over user name and password.</summary>
    public string? Token { get; set; }

    /// <summary>The Basic authentication user name (<c>MLFLOW_TRACKING_USERNAME</c>).</summary>
    public string? Username { get; set; }

    /// <summary>The Basic authentication password (<c>MLFLOW_TRACKING_PASSWORD</c>).</summary>
    public string? Password { get; set; }

    /// <summary>Reads the options from MLflow's environment variables.</summary>
    /// <param name="getVariable">Looks a variable up; the process environment when null.</param>
    /// <returns>The options.</returns>
    /// <exception cref="FormatException">The tracking URI is not an absolute http or https URL.</exception>
    public static MlflowClientOptions FromEnvironment(Func<string, string?>? getVariable = null)
    {
        var options = new MlflowClientOptions();
        options.ReadFrom(getVariable ?? Environment.GetEnvironmentVariable);
        return options;
    }

    /// <summary>Sets every option whose variable is set, leaving the others as they are.</summary>
    /// <param name="getVariable">Looks a variable up by its MLflow name.</param>
    /// <exception cref="FormatException">The tracking URI is not an absolute http or https URL.</exception>
    public void ReadFrom(Func<string, string?> getVariable)
    {
        ArgumentNullException.ThrowIfNull(getVariable);
        var uri = getVariable(KnownMlflowEnvironment.TrackingUri);
        if (!string.IsNullOrWhiteSpace(uri))
        {
            var parsed = ParseTrackingUri(uri);
            TrackingUri = UriRedaction.WithoutUserInfo(parsed);
            if (UserInfoCredentials(parsed) is var (user, password))
            {
                (Username, Password) = (user, password);
            }
        }

        // The variables win over credentials in the URI, as the requests library's auth wins over a URL's in MLflow.
        Token = NullIfEmpty(getVariable(KnownMlflowEnvironment.TrackingToken)) ?? Token;
        Username = NullIfEmpty(getVariable(KnownMlflowEnvironment.TrackingUsername)) ?? Username;
        Password = NullIfEmpty(getVariable(KnownMlflowEnvironment.TrackingPassword)) ?? Password;
    }

    /// <summary>The user name and password in a URI's user-info part, unescaped; null when it has none.</summary>
    /// <param name="uri">An absolute URI.</param>
    /// <returns>The pair, or null.</returns>
    public static (string User, string Password)? UserInfoCredentials(Uri uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        if (!uri.IsAbsoluteUri || uri.UserInfo.Length == 0)
        {
            return null;
        }

        var colon = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
        var user = colon < 0 ? uri.UserInfo : uri.UserInfo[..colon];
        var password = colon < 0 ? string.Empty : uri.UserInfo[(colon + 1)..];
        return (Uri.UnescapeDataString(user), Uri.UnescapeDataString(password));
    }

    /// <summary>Parses a tracking URI, accepting only absolute http and https URLs.</summary>
    /// <param name="value">The URI text.</param>
    /// <returns>The URI.</returns>
    /// <exception cref="FormatException">The value is not an absolute http or https URL.</exception>
    public static Uri ParseTrackingUri(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (!Uri.TryCreate(value.Trim(), UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            // The value itself is not echoed: a URL may carry credentials in its user-info part.
            throw new FormatException(
                $"{KnownMlflowEnvironment.TrackingUri} must be an absolute http:// or https:// URL of a tracking server.");
        }

        return uri;
    }

    /// <summary>Describes the options with the secrets masked.</summary>
    /// <returns>A description safe to log.</returns>
    public override string ToString()
    {
        var auth = Token is not null ? "bearer token" : Username is not null ? $"basic as {Username}" : "none";
        var where = TrackingUri is null ? "(not set)" : UriRedaction.Redact(TrackingUri);
        return $"MLflow tracking {where}, auth: {auth}";
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
