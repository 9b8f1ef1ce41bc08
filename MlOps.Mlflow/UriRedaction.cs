using System.Text.RegularExpressions;

namespace MlOps.Mlflow;

/// <summary>
/// Strips credentials from URIs before they are printed, logged or put in an exception: the user-info part of
/// <c>http://user:secret@host</c> (MLflow's clients accept credentials there) never leaves the process.
/// </summary>
public static partial class UriRedaction
{
    /// <summary>The URI without its user-info part.</summary>
    /// <param name="uri">Any absolute URI.</param>
    /// <returns>The URI text, safe to print.</returns>
    public static string Redact(Uri uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        return uri.IsAbsoluteUri && uri.UserInfo.Length > 0 ? WithoutUserInfo(uri).AbsoluteUri : uri.ToString();
    }

    /// <summary>Removes the user-info part of every URL in a text (a message, a connection string).</summary>
    /// <param name="text">Any text.</param>
    /// <returns>The text with <c>scheme://user:password@</c> turned into <c>scheme://</c>.</returns>
    public static string RedactText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return UserInfoPattern().Replace(text, "$1");
    }

    /// <summary>The same URI without user name and password.</summary>
    /// <param name="uri">An absolute URI.</param>
    /// <returns>The URI without user-info (the same instance when it had none).</returns>
    public static Uri WithoutUserInfo(Uri uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        return uri.IsAbsoluteUri && uri.UserInfo.Length > 0
            ? new UriBuilder(uri) { UserName = string.Empty, Password = string.Empty }.Uri
            : uri;
    }

    [GeneratedRegex(@"([a-zA-Z][a-zA-Z0-9+.\-]*://)[^/?#@\s]*@")]
    private static partial Regex UserInfoPattern();
}
